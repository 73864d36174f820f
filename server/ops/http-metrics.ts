import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { routeLabelOf } from '../http/route-label.ts';
import type { Metrics } from './metrics.ts';

/**
 * Times every request under its route label (http/route-label.ts). A page the public page cache
 * answered inside Express (res.locals.publicPageCacheHit) is also counted as a hit.
 */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      const route = routeLabelOf(req);
      stop({ method: req.method, route, status_code: String(res.statusCode) });
      if (res.locals.publicPageCacheHit === true) metrics.publicPageCacheHits.inc({ route });
    });
    next();
  };
}

/**
 * The same for a public page answered from memory before Express (http/front-server.ts): timed
 * under the route that rendered it, and counted as a hit.
 */
export function timeEarlyHit(metrics: Metrics, req: IncomingMessage, res: ServerResponse, route: string): void {
  const stop = metrics.httpDuration.startTimer();
  res.once('finish', () => {
    stop({ method: req.method ?? 'GET', route, status_code: String(res.statusCode) });
    metrics.publicPageCacheHits.inc({ route });
  });
}
