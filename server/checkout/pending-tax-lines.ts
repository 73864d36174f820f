import type Stripe from 'stripe';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { insertPurchaseTaxLines } from './purchases.repo.ts';
import type { StripeGateway } from './stripe-gateway.ts';

const FULFILLING = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

/**
 * A webhook's session carries the tax total but never its breakdown by rate, so before the event's
 * transaction (an API call must not hold SQLite's writer) the breakdown is asked of Stripe, briefly,
 * and put where an expanded session has it. Only when tax was charged: an untaxed sale costs no call.
 * If Stripe does not answer, the event goes on without it: the purchase and access are never held
 * back for a receipt detail; the purchase is marked `taxLinesPending` and `fillPendingTaxLines` adds
 * the lines later (reconcile, and the duplicate-refund worker's poll).
 */
export async function withTaxBreakdown(stripe: StripeGateway, logger: Logger, event: Stripe.Event): Promise<Stripe.Event> {
  if (!FULFILLING.has(event.type)) return event;
  const session = event.data.object as Stripe.Checkout.Session;
  const totals = session.total_details;
  if (!totals || totals.amount_tax === 0 || totals.breakdown) return event;
  try {
    const taxes = await stripe.retrieveTaxBreakdown(session.id);
    const object: Stripe.Checkout.Session = { ...session, total_details: { ...totals, breakdown: { discounts: [], taxes } } };
    return { ...event, data: { ...event.data, object } } as unknown as Stripe.Event;
  } catch (error) {
    logger.warn({ err: error, eventId: event.id, checkoutSessionId: session.id }, 'tax breakdown not fetched; the purchase is kept and its tax lines are filled later');
    return event;
  }
}

/**
 * Asks Stripe for the tax breakdown of purchases marked `taxLinesPending` and stores it. Each purchase
 * is settled in a transaction that claims it (pending → not), so two instances write its lines once.
 * A failure leaves it pending and ends the run (the next one starts again). Returns how many were filled.
 */
export async function fillPendingTaxLines(deps: { db: Db; logger: Logger; stripe: StripeGateway }, limit = 20): Promise<number> {
  const pending = await deps.db.purchase.findMany({ where: { taxLinesPending: true }, select: { id: true, checkoutSessionId: true }, take: limit });
  let filled = 0;
  for (const purchase of pending) {
    try {
      const { taxLines } = await deps.stripe.retrieveCheckoutSession(purchase.checkoutSessionId);
      if (!taxLines) continue;
      const claimed = await deps.db.$transaction(async (tx) => {
        const { count } = await tx.purchase.updateMany({ where: { id: purchase.id, taxLinesPending: true }, data: { taxLinesPending: false } });
        if (count === 1) await insertPurchaseTaxLines(tx, [{ purchaseId: purchase.id, lines: taxLines }]);
        return count === 1;
      });
      if (claimed) filled += 1;
    } catch (error) {
      deps.logger.warn({ err: error, purchaseId: purchase.id }, 'tax lines still not fetched; will retry on the next run');
      // Stripe down or slow (no answer, 429, 5xx): the others would wait as long each, holding back the
      // refunds this run follows. A refusal of this one purchase (another 4xx) does not stop the others.
      const status = (error as { statusCode?: number }).statusCode;
      if (status === undefined || status === 429 || status >= 500) break;
    }
  }
  return filled;
}
