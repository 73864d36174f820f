import type { StripeGateway } from './stripe-gateway.ts';
import { fulfilCheckoutSession } from './fulfilment.ts';
import { refundDuplicatePayments } from './duplicate-refunds.ts';
import { fillPendingTaxLines } from './pending-tax-lines.ts';
import { HANDLED_EVENT_TYPES, createStripeEventProcessor, type StripeEventDeps } from './stripe-events.ts';

export interface ReconcileReport {
  eventsProcessed: number;
  eventsAlreadyRecorded: number;
  sessionsFulfilled: number;
  duplicatesRefunded: number;
  taxLinesFilled: number;
}

/**
 * For when webhooks were down: replays every recent event Stripe holds of the types Warren handles,
 * through the same processor as the webhook (an event already recorded is skipped), then fulfils
 * any paid (or fully discounted) Checkout Session still without a purchase, and refunds duplicate
 * payments whose refund has not gone through yet (without waiting for their backoff), and fills the
 * tax lines of purchases fulfilled without them (pending-tax-lines.ts). Safe to run at any time, as often as wanted.
 */
export async function reconcileWithStripe(deps: StripeEventDeps & { stripe: StripeGateway }, since: Date): Promise<ReconcileReport> {
  const processEvent = createStripeEventProcessor(deps);
  const report: ReconcileReport = { eventsProcessed: 0, eventsAlreadyRecorded: 0, sessionsFulfilled: 0, duplicatesRefunded: 0, taxLinesFilled: 0 };
  for (const event of await deps.stripe.listEvents(since, [...HANDLED_EVENT_TYPES])) {
    const outcome = await processEvent(event);
    if (outcome.result === 'duplicate') report.eventsAlreadyRecorded += 1;
    else report.eventsProcessed += 1;
  }
  for (const session of await deps.stripe.listCheckoutSessions(since)) {
    if (session.status !== 'complete' || !['paid', 'no_payment_required'].includes(session.paymentStatus)) continue;
    const outcome = await fulfilCheckoutSession(deps, session);
    if (outcome.status === 'fulfilled') report.sessionsFulfilled += 1;
    if (outcome.status === 'rejected') deps.logger.error({ checkoutSessionId: session.id, reason: outcome.reason }, 'checkout session refused');
  }
  report.duplicatesRefunded = await refundDuplicatePayments(deps, { everything: true });
  // Replayed events carry no tax breakdown either: their purchases are filled here too.
  report.taxLinesFilled = await fillPendingTaxLines(deps, Number.MAX_SAFE_INTEGER);
  return report;
}
