import express, { Router, type Request, type Response } from 'express';
import type Stripe from 'stripe';
import type { Platform } from '../ops/platform.ts';
import type { AccessCache } from '../access/access-cache.ts';
import type { StripeGateway } from './stripe-gateway.ts';
import { HttpError } from '../http/errors.ts';
import { answerErrorsAsJson } from '../http/error-handler.ts';
import { createRateLimits } from '../http/rate-limits.ts';
import { createStripeEventHandler, createStripeEventProcessor } from './stripe-events.ts';
import { createWebhookBatcher } from './webhook-batcher.ts';
import { countingWebhookFailures } from './checkout-metrics.ts';
import { withTaxBreakdown } from './pending-tax-lines.ts';

/**
 * Stripe's endpoint: the signature is checked over the raw bytes, so this router parses its own body.
 * 2xx only once the event is stored with its effects; a database error propagates as a 5xx, so
 * Stripe delivers again later. Concurrent deliveries share a transaction (webhook-batcher.ts).
 * Caches drop what they hold of the members an event concerns before the answer leaves.
 *
 * What this route needs from the shared edge it attaches itself: errors answered in JSON (Stripe is
 * not a browser), its failures counted, its raw body. It carries no CSRF token: app.ts mounts this
 * router before the body parsers and the CSRF check, which never see its requests. Its metrics
 * label is its route pattern.
 */
export function webhookRoutes(deps: Platform & { stripe: StripeGateway | null; access: AccessCache }): Router {
  const router = Router();
  const eventDeps = { ...deps, adminEmails: deps.config.adminEmails };
  const processEvent = createWebhookBatcher({
    db: deps.db,
    handle: createStripeEventHandler(eventDeps),
    processAlone: createStripeEventProcessor(eventDeps),
    concurrency: deps.dbKind === 'sqlite' ? 1 : 4,
  });

  router.use('/webhooks', answerErrorsAsJson);
  const countFailures = countingWebhookFailures(deps.ops.metrics);
  const rawBody = express.raw({ type: () => true, limit: '512kb' });
  const refusedSignatureLimit = createRateLimits(deps).webhookFailureLimit();
  const countRefusedSignature = (req: Request, res: Response) =>
    new Promise<void>((resolve, reject) => refusedSignatureLimit(req, res, (error?: unknown) => (error ? reject(error) : resolve())));
  router.post('/webhooks/stripe', countFailures, rawBody, async (req, res) => {
    if (!deps.stripe) throw new HttpError(503, 'payments are not configured');
    let event: Stripe.Event;
    try {
      event = deps.stripe.parseWebhookEvent(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), req.get('stripe-signature'));
    } catch {
      await countRefusedSignature(req, res); // rejects with the 429 once this IP has sent too many
      throw new HttpError(400, 'invalid signature');
    }
    // A test-mode event on a live site (or the reverse) is someone else's money: refused before anything is stored.
    if (event.livemode !== deps.stripe.livemode) {
      deps.logger.warn({ eventId: event.id, type: event.type, livemode: event.livemode }, 'webhook event refused: livemode does not match the key');
      throw new HttpError(400, 'event livemode does not match this site');
    }
    const outcome = await processEvent(await withTaxBreakdown(deps.stripe, deps.logger, event));
    if (outcome.mailQueued) deps.mailQueued();
    // Only the members concerned: a burst of purchases must not empty everyone's cached access.
    if (outcome.accessChangedFor.length > 0) void deps.access.accessChanged(outcome.accessChangedFor);
    res.json({ received: true });
  });

  return router;
}
