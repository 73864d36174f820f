import express, { Router } from 'express';
import type Stripe from 'stripe';
import type { AppDeps } from '../deps.ts';
import { HttpError } from '../http/errors.ts';
import { fulfilCheckoutSession } from './fulfilment.ts';
import { checkoutSessionFacts } from './stripe-gateway.ts';

type EventHandler = (event: Stripe.Event) => Promise<void>;

function eventHandlers({ db, clock, logger, mailQueued, caches }: AppDeps): Partial<Record<Stripe.Event['type'], EventHandler>> {
  return {
    'checkout.session.completed': async (event) => {
      const facts = checkoutSessionFacts(event.data.object as Stripe.Checkout.Session);
      const outcome = await fulfilCheckoutSession(db, clock, facts);
      if (outcome.status === 'rejected') logger.error({ checkoutSessionId: facts.id, reason: outcome.reason }, 'checkout session refused');
      if (outcome.status === 'fulfilled') {
        mailQueued();
        await caches.accessChanged(outcome.purchase.userId);
      }
    },
  };
}

/** Stripe's endpoint: the signature is checked over the raw bytes, so this router parses its own body. */
export function webhookRoutes(deps: AppDeps): Router {
  const router = Router();
  const handlers = eventHandlers(deps);

  router.post('/webhooks/stripe', express.raw({ type: () => true, limit: '512kb' }), async (req, res) => {
    if (!deps.stripe) throw new HttpError(503, 'payments are not configured');
    let event: Stripe.Event;
    try {
      event = deps.stripe.parseWebhookEvent(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), req.get('stripe-signature'));
    } catch {
      throw new HttpError(400, 'invalid signature');
    }
    // Unknown types are acknowledged: Stripe would otherwise retry them for days.
    await handlers[event.type]?.(event);
    res.json({ received: true });
  });

  return router;
}
