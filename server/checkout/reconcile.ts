import type { StripeGateway } from './stripe-gateway.ts';
import { fulfilCheckoutSession } from './fulfilment.ts';
import { HANDLED_EVENT_TYPES, createStripeEventProcessor, type StripeEventDeps } from './stripe-events.ts';

export interface ReconcileReport {
  eventsProcessed: number;
  eventsAlreadyRecorded: number;
  sessionsFulfilled: number;
}

/**
 * For when webhooks were down: replays every recent event Stripe holds of the types Warren handles,
 * through the same processor as the webhook (an event already recorded is skipped), then fulfils
 * any paid Checkout Session still without a purchase. Safe to run at any time, as often as wanted.
 */
export async function reconcileWithStripe(deps: StripeEventDeps & { stripe: StripeGateway }, since: Date): Promise<ReconcileReport> {
  const processEvent = createStripeEventProcessor(deps);
  const report: ReconcileReport = { eventsProcessed: 0, eventsAlreadyRecorded: 0, sessionsFulfilled: 0 };
  for (const event of await deps.stripe.listEvents(since, [...HANDLED_EVENT_TYPES])) {
    const outcome = await processEvent(event);
    if (outcome.result === 'duplicate') report.eventsAlreadyRecorded += 1;
    else report.eventsProcessed += 1;
  }
  for (const session of await deps.stripe.listCheckoutSessions(since)) {
    if (session.status !== 'complete' || session.paymentStatus !== 'paid') continue;
    const outcome = await fulfilCheckoutSession(deps, session);
    if (outcome.status === 'fulfilled') report.sessionsFulfilled += 1;
    if (outcome.status === 'rejected') deps.logger.error({ checkoutSessionId: session.id, reason: outcome.reason }, 'checkout session refused');
  }
  return report;
}
