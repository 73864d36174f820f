import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { isUniqueViolation, type Db } from '../db/database.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { formatPrice } from '../http/money.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { creditRefunds, lockPaymentState, recordRefund } from './payment-state.ts';
import {
  adminRefundedAmount,
  findAdminRefund,
  findRefundablePurchase,
  insertAdminRefund,
  settleAdminRefund,
  type RefundablePurchase,
} from './admin-refunds.repo.ts';
import { REFUND_REASONS, StripeRefusal, type RefundReason, type StripeGateway } from './stripe-gateway.ts';

export interface AdminRefundDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  stripe: StripeGateway;
}

/** The refund form as posted (strings): an empty amount means everything left. */
export interface RefundRequest {
  amount?: string;
  reason: string;
  note?: string;
}

/** A checked refund: what the confirm page shows and what is sent to Stripe. */
export interface RefundPlan {
  purchase: RefundablePurchase & { paymentIntentId: string };
  amount: number;
  reason: RefundReason;
  note: string;
  /** What is left to refund before this one. */
  remaining: number;
  /** Whether this refund takes the rest of the payment (and so the member's access). */
  full: boolean;
}

export const MAX_NOTE_LENGTH = 500;

/** "25", "25.5" or "25.50" (two decimals at most, as CAD has) → minor units; anything else → null. */
export function parseRefundAmount(text: string): number | null {
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Minor units as the form writes them back ("25.00"): what the confirm page posts again. */
export const amountField = (amount: number) => (amount / 100).toFixed(2);

/**
 * Checks a refund of one of this member's purchases against what was paid and what the admin's
 * refunds (made or under way) already took: every refusal is a 400 or 404 that changes nothing.
 */
export async function planAdminRefund(db: Db, memberId: string, purchaseId: string, request: RefundRequest): Promise<RefundPlan> {
  const purchase = await findRefundablePurchase(db, memberId, purchaseId);
  if (!purchase) throw notFound('This member has no purchase with that id.');
  const { paymentIntentId } = purchase;
  if (!paymentIntentId) throw badRequest('Nothing was paid for this purchase (a promotion code took the whole price), so there is nothing to refund.');
  if (purchase.status === 'refunded') throw badRequest('This purchase is already refunded in full.');
  const remaining = purchase.amount - (await adminRefundedAmount(db, purchase.id));
  if (remaining <= 0) throw badRequest('This purchase is already refunded in full.');
  const typed = request.amount?.trim() ?? '';
  const amount = typed === '' ? remaining : parseRefundAmount(typed);
  const left = formatPrice(remaining, purchase.currency);
  if (amount === null) throw badRequest(`The amount must be a number in ${purchase.currency.toUpperCase()} with at most two decimals, like 25 or 25.50 (at most ${left}).`);
  if (amount <= 0) throw badRequest('The amount to refund must be more than zero.');
  if (amount > remaining) throw badRequest(`At most ${left} is left to refund on this purchase.`);
  if (!(REFUND_REASONS as readonly string[]).includes(request.reason)) throw badRequest('Choose one of the reasons: requested by the customer, duplicate or fraudulent.');
  const note = (request.note ?? '').trim();
  if (note.length > MAX_NOTE_LENGTH) throw badRequest(`The note can be at most ${MAX_NOTE_LENGTH} characters.`);
  return { purchase: { ...purchase, paymentIntentId }, amount, reason: request.reason as RefundReason, note, remaining, full: amount === remaining };
}

export interface RefundResult {
  refundId: string;
  /** The member whose access may have changed (the caller drops their cached access). */
  buyerId: string;
  /** Whether this call queued mail (the worker is woken). */
  mailQueued: boolean;
}

/**
 * Makes the refund the admin confirmed. The row is written first, in its own transaction (with the
 * payment's lock, so two requests for one purchase are counted one after the other): its id, minted
 * by the confirm page, makes the Stripe idempotency key, and its `pendingKey` refuses a second
 * refund of the purchase while this one is under way. Stripe is called outside any transaction.
 * A resubmitted form (same id) finds the row and calls nothing.
 */
export async function makeAdminRefund(deps: AdminRefundDeps, plan: RefundPlan, refundId: string, requestedBy: string): Promise<RefundResult> {
  const { db, clock } = deps;
  const { purchase } = plan;
  const recorded = await db
    .$transaction(async (tx) => {
      await lockPaymentState(tx, purchase.paymentIntentId, clock.now());
      if (await findAdminRefund(tx, refundId)) return false;
      const left = purchase.amount - (await adminRefundedAmount(tx, purchase.id));
      if (plan.amount > left) throw badRequest(`At most ${formatPrice(Math.max(0, left), purchase.currency)} is left to refund on this purchase.`);
      const { reason, note, amount } = plan;
      await insertAdminRefund(tx, { id: refundId, purchaseId: purchase.id, amount, currency: purchase.currency, reason, note, requestedBy }, clock.now());
      return true;
    })
    .catch(async (error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
      // The same form twice at once: the other request wrote this id and calls Stripe.
      if (await findAdminRefund(db, refundId)) return false;
      throw new HttpError(409, "Another refund of this purchase is under way. Reload the member's page to see how it ended.", 'A refund is already under way');
    });
  const row = await findAdminRefund(db, refundId);
  if (row?.purchaseId !== purchase.id) throw badRequest('That refund belongs to another purchase.');
  if (!recorded) return { refundId, buyerId: purchase.userId, mailQueued: false };
  return sendToStripe(deps, plan, refundId);
}

/**
 * Asks Stripe again for a refund left pending because it did not answer: the same idempotency key,
 * so if the first call did refund, this gets that refund back rather than making another.
 */
export async function retryAdminRefund(deps: AdminRefundDeps, memberId: string, refundId: string): Promise<RefundResult> {
  const row = await findAdminRefund(deps.db, refundId);
  const purchase = row && (await findRefundablePurchase(deps.db, memberId, row.purchaseId));
  if (!row || !purchase?.paymentIntentId) throw notFound('This member has no refund with that id.');
  if (row.status !== 'pending') throw badRequest(`This refund is already settled (${row.status}).`);
  const plan: RefundPlan = {
    purchase: { ...purchase, paymentIntentId: purchase.paymentIntentId },
    amount: row.amount,
    reason: row.reason as RefundReason,
    note: row.note,
    remaining: row.amount,
    full: false,
  };
  return sendToStripe(deps, plan, refundId, { lookFirst: true });
}

/** Calls Stripe for a pending refund (again, for a retry: the same key gives the same refund) and settles the row. */
async function sendToStripe(deps: AdminRefundDeps, plan: RefundPlan, refundId: string, options: { lookFirst?: boolean } = {}): Promise<RefundResult> {
  const { db, clock, logger, stripe } = deps;
  const { purchase } = plan;
  const unchanged = { refundId, buyerId: purchase.userId, mailQueued: false };
  let outcome;
  try {
    // A retry first looks for the refund the first call may have made: after 24 hours Stripe has
    // forgotten the idempotency key, and the same key would make a second refund.
    const made = options.lookFirst ? await stripe.findAdminRefund(purchase.paymentIntentId, refundId) : null;
    outcome = made ?? await stripe.createRefund({
      paymentIntentId: purchase.paymentIntentId,
      amount: plan.amount,
      reason: plan.reason,
      idempotencyKey: `admin-refund:${refundId}`,
      metadata: { adminRefundId: refundId, purchaseId: purchase.id },
    });
  } catch (error) {
    const message = String((error as Error)?.message ?? error).slice(0, 500);
    if (error instanceof StripeRefusal) {
      await settleAdminRefund(db, refundId, { status: 'failed', error: message }, clock.now());
      logger.warn({ refundId, purchaseId: purchase.id, err: error }, 'admin refund refused by Stripe');
    } else {
      // No answer, or a 5xx: the refund may exist. The row stays pending (blocking another one) until a retry settles it.
      await db.adminRefund.updateMany({ where: { id: refundId, status: 'pending' }, data: { error: message, updatedAt: clock.now() } });
      logger.error({ refundId, purchaseId: purchase.id, err: error }, 'admin refund: no answer from Stripe; retry from the member page');
    }
    return unchanged;
  }
  if (outcome.status === 'failed' || outcome.status === 'canceled') {
    await settleAdminRefund(db, refundId, { status: 'failed', error: `Stripe reports the refund ${outcome.status}.` }, clock.now());
    return unchanged;
  }
  return settleSucceeded(deps, plan, refundId, outcome);
}

/**
 * Records the refund Stripe made and applies it as its `charge.refunded` webhook would, at once, so
 * the admin never sees a refunded purchase still paid: a full refund revokes access through the same
 * code (payment-state.ts), which the webhook then finds already done. The member's notice, keyed on
 * Stripe's refund id, is queued in the same transaction.
 */
async function settleSucceeded(
  deps: AdminRefundDeps,
  plan: RefundPlan,
  refundId: string,
  outcome: { refundId: string; chargeId: string | null; chargeFullyRefunded: boolean | null },
): Promise<RefundResult> {
  const { db, clock } = deps;
  const { purchase } = plan;
  const now = clock.now();
  // Whose access the refund touched: the buyer, or a delivered gift's recipient.
  let readerId = purchase.userId;
  const mailQueued = await db.$transaction(async (tx) => {
    if (!(await settleAdminRefund(tx, refundId, { status: 'succeeded', stripeRefundId: outcome.refundId }, now))) return false;
    // The credit note on the receipt, once for this Stripe refund whether or not its webhook came first.
    await lockPaymentState(tx, purchase.paymentIntentId, now);
    await creditRefunds(tx, purchase.paymentIntentId, [{ id: outcome.refundId, amount: plan.amount }], now);
    const full = outcome.chargeFullyRefunded ?? (await adminRefundedAmount(tx, purchase.id)) >= purchase.amount;
    if (full) {
      const change = await recordRefund(tx, { chargeId: outcome.chargeId, paymentIntentId: purchase.paymentIntentId, fullyRefunded: true }, now, { byAdmin: true });
      if (change) readerId = change.buyerId;
    }
    return enqueueMail(
      tx,
      {
        dedupeKey: `refund-notice:${outcome.refundId}`,
        template: 'refund-notice',
        recipient: purchase.user.email,
        data: { thesisTitle: purchase.thesis.title, amount: formatPrice(plan.amount, purchase.currency), full, refundedOn: now.toISOString().slice(0, 10) },
      },
      now,
    );
  });
  return { refundId, buyerId: readerId, mailQueued };
}
