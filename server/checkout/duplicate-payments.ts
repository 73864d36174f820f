import type { Tx } from '../db/database.ts';
import { findOrCreateUsers } from '../accounts/users.repo.ts';
import { formatPrice } from '../http/money.ts';
import { enqueueMail } from '../mail/outbox.ts';
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
  const refunded = facts.paymentIntentId !== null && amount > 0;
  if (refunded) {
    await tx.duplicateRefund.upsert({
      where: { checkoutSessionId: facts.id },
      create: {
        checkoutSessionId: facts.id,
        paymentIntentId: facts.paymentIntentId!,
        userId,
        thesisId: attempt.thesis.id,
        amount,
        currency: attempt.currency,
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      },
      update: {},
    });
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
