import type { Db } from '../db/database.ts';
import type { GiftRequest } from './gift-form.ts';

export interface NewGift extends GiftRequest {
  id: string;
  checkoutSessionId: string;
  thesisId: string;
  buyerUserId: string | null;
  createdAt: Date;
}

/**
 * Written right after Stripe created the session and before its checkout attempt, so no session can
 * be paid as a plain purchase while meant as a gift. A double submit (same nonce, same session) keeps
 * the first row.
 */
export async function recordGift(db: Db, gift: NewGift): Promise<void> {
  await db.gift.upsert({ where: { checkoutSessionId: gift.checkoutSessionId }, create: gift, update: {} });
}

/** The gift a Checkout Session paid for, if it was one: what the success page says. */
export function findGiftOfSession(db: Db, checkoutSessionId: string) {
  return db.gift.findUnique({ where: { checkoutSessionId }, select: { deliverOn: true, deliveredAt: true, cancelledAt: true } });
}
