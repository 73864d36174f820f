import type { Clock } from '../clock.ts';
import { isUniqueViolation, type Db } from '../db/database.ts';
import { normaliseEmail } from '../accounts/email-address.ts';
import { findOrCreateUser } from '../accounts/users.repo.ts';
import { findThesisById } from '../catalog/thesis.repo.ts';
import { formatPrice } from '../catalog/money.ts';
import { enqueueMail } from '../mail/outbox.ts';
import type { CheckoutSessionFacts } from './stripe-gateway.ts';

export interface FulfilledPurchase {
  id: string;
  userId: string;
  thesisSlug: string;
}

export type FulfilmentOutcome =
  | { status: 'fulfilled' | 'already-fulfilled'; purchase: FulfilledPurchase }
  | { status: 'not-paid' }
  | { status: 'rejected'; reason: string };

/** Grants nothing for a session that is not exactly what this server would have created. */
function mismatch(facts: CheckoutSessionFacts, thesis: { priceAmount: number; currency: string } | null): string | null {
  if (facts.mode !== 'payment') return `mode ${facts.mode}`;
  if (!thesis) return `unknown thesis ${facts.thesisId}`;
  if (facts.amountTotal !== thesis.priceAmount) return `amount ${facts.amountTotal}, expected ${thesis.priceAmount}`;
  if (facts.currency !== thesis.currency) return `currency ${facts.currency}, expected ${thesis.currency}`;
  return null;
}

/**
 * Turns one paid Checkout Session into exactly one purchase, one entitlement and one receipt e-mail,
 * however many times and from however many places (webhook, success page) it is called.
 */
export async function fulfilCheckoutSession(db: Db, clock: Clock, facts: CheckoutSessionFacts): Promise<FulfilmentOutcome> {
  if (facts.paymentStatus !== 'paid') return { status: 'not-paid' };
  const thesis = facts.thesisId ? await findThesisById(db, facts.thesisId) : null;
  const problem = mismatch(facts, thesis);
  if (problem || !thesis) return { status: 'rejected', reason: problem ?? 'no thesis' };
  const email = normaliseEmail(facts.email);
  if (!email) return { status: 'rejected', reason: 'no usable e-mail on the session' };

  // The first attempt writes straight away: the unique checkoutSessionId makes a second writer fail
  // (P2002, whole transaction rolled back), and only then do we look for what the first one wrote.
  // One query less per event in a burst, the same exactly-once guarantee.
  const record = (lookFirst: boolean) =>
    db.$transaction(async (tx) => {
      if (lookFirst) {
        const existing = await tx.purchase.findUnique({ where: { checkoutSessionId: facts.id }, select: { id: true, userId: true } });
        if (existing) return { status: 'already-fulfilled' as const, purchase: { ...existing, thesisSlug: thesis.slug } };
      }

      const user = await findOrCreateUser(tx, email);
      const now = clock.now();
      const purchase = await tx.purchase.create({
        data: {
          checkoutSessionId: facts.id,
          userId: user.id,
          thesisId: thesis.id,
          amount: thesis.priceAmount,
          currency: thesis.currency,
          paymentIntentId: facts.paymentIntentId,
          createdAt: now,
        },
        select: { id: true, userId: true },
      });
      await tx.entitlement.upsert({
        where: { userId_thesisId: { userId: user.id, thesisId: thesis.id } },
        create: { userId: user.id, thesisId: thesis.id, purchaseId: purchase.id },
        update: {},
      });
      await enqueueMail(tx, {
        dedupeKey: `receipt:${facts.id}`,
        template: 'receipt',
        recipient: email,
        data: {
          thesisTitle: thesis.title,
          price: formatPrice(thesis.priceAmount, thesis.currency),
          purchasedOn: now.toISOString().slice(0, 10),
          reference: purchase.id,
        },
        signInFor: { userId: user.id, nextPath: `/theses/${thesis.slug}` },
      });
      return { status: 'fulfilled' as const, purchase: { ...purchase, thesisSlug: thesis.slug } };
    });

  try {
    return await record(false);
  } catch (error) {
    // A replay, or the webhook and the success page raced and the other one committed first: now it is found.
    if (isUniqueViolation(error)) return record(true);
    throw error;
  }
}
