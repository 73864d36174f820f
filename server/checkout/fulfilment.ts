import type { Clock } from '../clock.ts';
import { isUniqueViolation, type Db, type Tx } from '../db/database.ts';
import { normaliseEmail } from '../accounts/email-address.ts';
import { findOrCreateUser } from '../accounts/users.repo.ts';
import { formatPrice } from '../catalog/money.ts';
import { enqueueMails } from '../mail/outbox.ts';
import { saleNotices } from '../mail/sale-notices.ts';
import { raiseAdminAlert } from '../admin/admin-alerts.ts';
import { applyPaymentToPurchase, grantFromPurchase } from '../access/entitlements.repo.ts';
import { purchaseStatusFor } from '../access/standing.ts';
import { findSessionRecords, markAttemptFulfilled, markCheckoutAttempt, sessionMismatch } from './checkout-attempts.ts';
import { lockPaymentState } from './payment-state.ts';
import { insertPurchase } from './purchases.repo.ts';
import type { CheckoutSessionFacts } from './stripe-gateway.ts';

export interface FulfilmentDeps {
  db: Db;
  clock: Clock;
  adminEmails: readonly string[];
}

export interface FulfilledPurchase {
  id: string;
  userId: string;
  thesisSlug: string;
}

export type FulfilmentOutcome =
  | { status: 'fulfilled' | 'already-fulfilled'; purchase: FulfilledPurchase }
  | { status: 'not-paid' }
  | { status: 'rejected'; reason: string };

async function refuse(tx: Tx, deps: FulfilmentDeps, facts: CheckoutSessionFacts, reason: string): Promise<FulfilmentOutcome> {
  const now = deps.clock.now();
  await markCheckoutAttempt(tx, facts.id, 'rejected', now);
  await raiseAdminAlert(
    tx,
    deps.adminEmails,
    { dedupeKey: `checkout-refused:${facts.id}`, kind: 'checkout session refused', detail: `${facts.id}: ${reason}` },
    now,
  );
  return { status: 'rejected', reason };
}

/**
 * Turns one paid Checkout Session into exactly one purchase, one entitlement and one receipt e-mail,
 * inside the caller's transaction. Refunds or disputes that arrived before this completion are
 * applied at once (see payment-state.ts), so the end state does not depend on event order.
 */
export async function fulfilInTransaction(tx: Tx, deps: FulfilmentDeps, facts: CheckoutSessionFacts): Promise<FulfilmentOutcome> {
  const { purchase: existing, attempt } = await findSessionRecords(tx, facts.id);
  if (existing) return { status: 'already-fulfilled', purchase: existing };

  const problem = sessionMismatch(facts, attempt);
  if (problem || !attempt) return refuse(tx, deps, facts, problem ?? 'no attempt');
  const now = deps.clock.now();
  if (facts.paymentStatus !== 'paid') {
    await markCheckoutAttempt(tx, facts.id, 'awaiting_payment', now);
    return { status: 'not-paid' };
  }
  const { thesis } = attempt;
  const email = normaliseEmail(facts.email);
  if (!email) return refuse(tx, deps, facts, 'no usable e-mail on the session');

  const payment = facts.paymentIntentId ? await lockPaymentState(tx, facts.paymentIntentId, now) : null;
  const user = await findOrCreateUser(tx, email);
  const amount = facts.amountTotal ?? attempt.amount;
  const purchase = await insertPurchase(tx, {
    checkoutSessionId: facts.id,
    userId: user.id,
    thesisId: thesis.id,
    amount,
    currency: attempt.currency,
    paymentIntentId: facts.paymentIntentId,
    status: purchaseStatusFor(payment),
    createdAt: now,
  });
  await grantFromPurchase(tx, purchase);
  if (payment && purchaseStatusFor(payment) !== 'paid') await applyPaymentToPurchase(tx, purchase.id, payment, now);
  await markAttemptFulfilled(tx, facts.id, user.id, now);
  const receipt = {
    thesisTitle: thesis.title,
    price: formatPrice(amount, attempt.currency),
    purchasedOn: now.toISOString().slice(0, 10),
    reference: purchase.id,
  };
  await enqueueMails(tx, [
    {
      dedupeKey: `receipt:${facts.id}`,
      template: 'receipt',
      recipient: email,
      data: receipt,
      signInFor: { userId: user.id, nextPath: `/theses/${thesis.slug}` },
    },
    ...saleNotices(deps.adminEmails, { ...receipt, buyerEmail: email }),
  ]);
  return { status: 'fulfilled', purchase: { id: purchase.id, userId: purchase.userId, thesisSlug: thesis.slug } };
}

/** Runs a unit of payment work in one transaction, once more if it lost a unique-constraint race. */
export async function inPaymentTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.$transaction(work);
  } catch (error) {
    // The webhook and the success page (or two deliveries) raced and the other committed first.
    if (isUniqueViolation(error)) return db.$transaction(work);
    throw error;
  }
}

/** Fulfilment in a transaction of its own: the success page and the reconciliation command. */
export function fulfilCheckoutSession(deps: FulfilmentDeps, facts: CheckoutSessionFacts): Promise<FulfilmentOutcome> {
  return inPaymentTransaction(deps.db, (tx) => fulfilInTransaction(tx, deps, facts));
}
