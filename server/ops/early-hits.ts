import type { Logger } from 'pino';
import type { EarlyHitObserver } from '../http/public-page-cache.ts';
import { timeEarlyHit } from './http-metrics.ts';
import type { Metrics } from './metrics.ts';
import { logEarlyHits } from './request-logging.ts';

/**
 * What Express's first middleware gives every request, for a public page the front server answers
 * from memory before Express: a fresh X-Request-Id, a log line, its time in the request histogram
 * and a count in warren_public_page_cache_hits_total.
 */
export function observeEarlyHits(logger: Logger, metrics: Metrics): EarlyHitObserver {
  const log = logEarlyHits(logger);
  return (req, res, route) => {
    const id = log(req, res);
    timeEarlyHit(metrics, req, res, route);
    return id;
  };
}
