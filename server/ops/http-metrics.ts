import type { Request, RequestHandler } from 'express';
import type { StripeGateway } from '../checkout/stripe-gateway.ts';
import type { Metrics } from './metrics.ts';

const WEBHOOK_PATH = '/webhooks/stripe';

/**
 * The route pattern that answered ("/theses/:slug", not "/theses/decode-singularity"), so the
 * histogram has one series per route rather than one per URL. Unmatched requests share one label.
 */
function routeOf(req: Request): string {
  if (req.route?.path) return `${req.baseUrl}${req.route.path}`;
  if (req.originalUrl.startsWith('/public/')) return '/public/*';
  return 'unmatched';
}

/** Times every request and counts refused or failed webhooks. */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      const status = res.statusCode;
      stop({ method: req.method, route: routeOf(req), status_code: String(status) });
      if (req.originalUrl.split('?')[0] === WEBHOOK_PATH && status >= 400) metrics.webhookFailures.inc({ status_code: String(status) });
    });
    next();
  };
}

/** The gateway, counting the Checkout Sessions it creates. */
export function countingCheckouts(gateway: StripeGateway | null, metrics: Metrics): StripeGateway | null {
  if (!gateway) return null;
  return {
    ...gateway,
    async createCheckoutSession(request) {
      const session = await gateway.createCheckoutSession(request);
      metrics.checkoutsCreated.inc();
      return session;
    },
  };
}
