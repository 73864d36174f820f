import type { Db, Tx } from '../db/database.ts';
import type { CheckoutSessionFacts } from './stripe-gateway.ts';
import { ATTESTATION, ATTESTATION_TEXT } from './attestation.ts';

export interface NewCheckoutAttempt {
  id: string;
  checkoutSessionId: string;
  thesisId: string;
  userId: string | null;
  amount: number;
  currency: string;
  mode: string;
  livemode: boolean;
  promotionCodes: boolean;
  attestedAt: Date;
  attestedIp: string;
}

/** Written right after Stripe created the session, before the buyer can pay; a double submit finds it. */
export async function recordCheckoutAttempt(db: Db, attempt: NewCheckoutAttempt): Promise<void> {
  await db.checkoutAttempt.upsert({
    where: { checkoutSessionId: attempt.checkoutSessionId },
    create: { ...attempt, attestationVersion: ATTESTATION.version, attestationText: ATTESTATION_TEXT, updatedAt: attempt.attestedAt },
    update: {},
  });
}

export type CheckoutAttempt = NonNullable<Awaited<ReturnType<typeof findCheckoutAttempt>>>;

export function findCheckoutAttempt(db: Db | Tx, checkoutSessionId: string) {
  return db.checkoutAttempt.findUnique({ where: { checkoutSessionId } });
}

/**
 * Whether a session reported by Stripe is exactly one this server created: anything else (a session
 * made elsewhere with our thesis id, a changed price, test money on a live site) grants nothing.
 */
export function sessionMismatch(facts: CheckoutSessionFacts, attempt: CheckoutAttempt | null): string | null {
  if (!attempt) return 'a Checkout Session this server did not create';
  if (facts.mode !== 'payment' || facts.mode !== attempt.mode) return `mode ${facts.mode}, expected ${attempt.mode}`;
  if (facts.thesisId !== attempt.thesisId) return `thesis ${facts.thesisId}, expected ${attempt.thesisId}`;
  if (facts.amountSubtotal !== attempt.amount) return `amount ${facts.amountSubtotal}, expected ${attempt.amount}`;
  // Tax only adds to the price; only a promotion code (when allowed) may lower what was paid.
  if (!attempt.promotionCodes && (facts.amountTotal ?? 0) < attempt.amount) return `amount_total ${facts.amountTotal} below the price ${attempt.amount}`;
  if (facts.currency !== attempt.currency) return `currency ${facts.currency}, expected ${attempt.currency}`;
  if (facts.livemode !== attempt.livemode) return `livemode ${facts.livemode}, expected ${attempt.livemode}`;
  return null;
}

/** Moves an attempt along (awaiting_payment, failed, expired, rejected), never back from fulfilled. */
export async function markCheckoutAttempt(tx: Tx, checkoutSessionId: string, status: string, now: Date): Promise<void> {
  await tx.checkoutAttempt.updateMany({ where: { checkoutSessionId, status: { not: 'fulfilled' } }, data: { status, updatedAt: now } });
}
