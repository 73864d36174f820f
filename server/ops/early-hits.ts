import type { Logger } from 'pino';
import type { EarlyHitObserver } from '../http/public-page-cache.ts';
import { timeEarlyHit } from './http-metrics.ts';
import type { Metrics } from './metrics.ts';
import { logEarlyHits } from './request-logging.ts';

/**
 * What Express's first middleware gives every request, for a public page the front server answers
 * from memory before Express: a fresh X-Request-Id, its time in the request histogram, a count in
 * warren_public_page_cache_hits_total, and a log line for one hit in `logEvery`.
 */
export function observeEarlyHits(logger: Logger, metrics: Metrics, logEvery: number): EarlyHitObserver {
  const log = logEarlyHits(logger, logEvery);
  return (req, res, route) => {
    const id = log(req, res);
    timeEarlyHit(metrics, req, res, route);
    return id;
  };
}
