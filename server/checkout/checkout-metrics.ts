import type { RequestHandler } from 'express';
import type { Metrics } from '../ops/metrics.ts';
import type { StripeGateway } from './stripe-gateway.ts';

/** The gateway, counting the Checkout Sessions it creates (whichever route creates them). */
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

/** For the webhook route: counts the deliveries it refused or failed (4xx and 5xx alike). */
export function countingWebhookFailures(metrics: Metrics): RequestHandler {
  return (_req, res, next) => {
    res.once('finish', () => {
      if (res.statusCode >= 400) metrics.webhookFailures.inc({ status_code: String(res.statusCode) });
    });
    next();
  };
}
