import type { Tx } from '../db/database.ts';
import { findOrCreateUsers } from '../accounts/users.repo.ts';
import { formatPrice } from '../http/money.ts';
import { enqueueMail, type OutgoingMail } from '../mail/outbox.ts';
import type { GiftRefusedData } from '../mail/templates.ts';
import { markCheckoutAttempt, type CheckoutAttempt } from './checkout-attempts.ts';
import type { CheckoutSessionFacts } from './stripe-gateway.ts';

export interface DuplicatePayment {
  facts: CheckoutSessionFacts;
  attempt: CheckoutAttempt;
  email: string;
}

/** What recording a duplicate did: the buyer's account and the thesis. */
export interface RecordedDuplicate {
  userId: string;
  thesisSlug: string;
}

/**
 * A paid session for a thesis its buyer's address can already read (paid signed out, or twice): no
 * second purchase. The payment is queued for a full refund through the Stripe API
 * (duplicate-refunds.ts does it, outside the transaction) and the buyer is told so, with a sign-in
 * link minted at delivery: the mail goes to the inbox, so only the address's owner can use it.
 * The attempt stays `duplicate` for good: a replay, or reconciliation after the first purchase was
 * refunded, never turns a refunded payment into access. Idempotent (unique keys on the session).
 */
export async function recordDuplicatePayment(tx: Tx, payment: DuplicatePayment, now: Date): Promise<RecordedDuplicate> {
  const { facts, attempt, email } = payment;
  const userId = (await findOrCreateUsers(tx, [{ email }], now)).get(email)!;
  await markCheckoutAttempt(tx, facts.id, 'duplicate', now);
  const amount = facts.amountTotal ?? attempt.amount;
  // A 100 %-off session has no payment intent: nothing was charged, nothing to give back.
  const refunded = await queueDuplicateRefund(
    tx,
    { checkoutSessionId: facts.id, paymentIntentId: facts.paymentIntentId, userId, thesisId: attempt.thesis.id, amount, currency: attempt.currency },
    now,
  );
  const gift = attempt.gift;
  if (gift) {
    // A gift to someone who can already read the thesis: never delivered, and the payer is told why.
    await tx.gift.updateMany({ where: { id: gift.id, deliveredAt: null }, data: { cancelledAt: now } });
    await enqueueMail(tx, giftRefusedMail(facts.id, email, { thesisTitle: attempt.thesis.title, recipientEmail: gift.recipientEmail, price: formatPrice(amount, attempt.currency), refunded }), now);
    return { userId, thesisSlug: attempt.thesis.slug };
  }
  await enqueueMail(
    tx,
    {
      dedupeKey: `duplicate-payment:${facts.id}`,
      template: 'duplicate-payment',
      recipient: email,
      data: { thesisTitle: attempt.thesis.title, price: formatPrice(amount, attempt.currency), refunded },
      signInFor: { userId, nextPath: `/theses/${attempt.thesis.slug}` },
    },
    now,
  );
  return { userId, thesisSlug: attempt.thesis.slug };
}

/** A payment to give back in full (duplicate-refunds.ts does it): false when nothing was charged (100 %-off, no payment intent). */
export async function queueDuplicateRefund(
  tx: Tx,
  payment: { checkoutSessionId: string; paymentIntentId: string | null; userId: string; thesisId: string; amount: number; currency: string },
  now: Date,
): Promise<boolean> {
  const { paymentIntentId, ...rest } = payment;
  if (paymentIntentId === null || payment.amount <= 0) return false;
  await tx.duplicateRefund.upsert({
    where: { checkoutSessionId: payment.checkoutSessionId },
    create: { ...rest, paymentIntentId, nextAttemptAt: now, createdAt: now, updatedAt: now },
    update: {},
  });
  return true;
}

/** The payer of a gift the recipient could already read: told once per session. */
export function giftRefusedMail(checkoutSessionId: string, payerEmail: string, data: GiftRefusedData): OutgoingMail {
  return { dedupeKey: `gift-refused:${checkoutSessionId}`, template: 'gift-refused', recipient: payerEmail, data };
}
