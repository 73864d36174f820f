import type { Request, RequestHandler, Response } from 'express';

/**
 * The route a request is counted under in metrics: the pattern that answered ("/theses/:slug", not
 * "/theses/decode-singularity"), so there is one series per route rather than one per URL. A router
 * that answers without a route pattern (static files, a cached page) names itself with labelRoute().
 * Unmatched requests share one label.
 */
export function routeLabelOf(req: Request): string {
  const named = req.res?.locals.routeLabel;
  if (typeof named === 'string') return named;
  if (req.route?.path) return `${req.baseUrl}${req.route.path}`;
  return 'unmatched';
}

/** Counts this response under `label` in metrics (see routeLabelOf). */
export function nameRoute(res: Response, label: string): void {
  res.locals.routeLabel = label;
}

/** Marks the requests a router answers with `label` in metrics. */
export function labelRoute(label: string): RequestHandler {
  return (_req, res, next) => {
    nameRoute(res, label);
    next();
  };
}
