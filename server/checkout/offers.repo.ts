import type { Db } from '../db/database.ts';
import type { OfferRequest } from './offer-form.ts';

const offerFields = {
  id: true,
  thesisId: true,
  code: true,
  percentOff: true,
  amountOff: true,
  currency: true,
  expiresAt: true,
  maxRedemptions: true,
  stripeCouponId: true,
  stripePromotionCodeId: true,
  lastError: true,
  endedAt: true,
  createdAt: true,
  thesis: { select: { slug: true, title: true } },
} as const;

export type OfferRow = NonNullable<Awaited<ReturnType<typeof findOffer>>>;

export function findOffer(db: Db, id: string) {
  return db.offer.findUnique({ where: { id }, select: offerFields });
}

export function findOfferByCode(db: Db, code: string) {
  return db.offer.findUnique({ where: { code }, select: offerFields });
}

/** Newest first, each with how many purchases it made (the redemptions Stripe counts too). */
export async function listOffersWithRedemptions(db: Db) {
  const offers = await db.offer.findMany({ orderBy: { createdAt: 'desc' }, select: { ...offerFields, _count: { select: { purchases: true } } } });
  return offers.map(({ _count, ...offer }) => ({ ...offer, redemptions: _count.purchases }));
}

export function countRedemptions(db: Db, offerId: string): Promise<number> {
  return db.purchase.count({ where: { offerId } });
}

/** The offer's row, pending (no Stripe ids) until Stripe made its coupon and promotion code. A taken code fails on its unique key. */
export function insertPendingOffer(db: Db, id: string, request: OfferRequest, createdById: string, now: Date) {
  return db.offer.create({ data: { id, ...request, createdById, createdAt: now }, select: { id: true } });
}

export async function markOfferCreated(db: Db, id: string, stripe: { couponId: string; promotionCodeId: string }): Promise<void> {
  await db.offer.update({ where: { id }, data: { stripeCouponId: stripe.couponId, stripePromotionCodeId: stripe.promotionCodeId, lastError: null } });
}

export async function noteOfferError(db: Db, id: string, error: string): Promise<void> {
  await db.offer.update({ where: { id }, data: { lastError: error.slice(0, 500) } });
}

/** Sets endedAt once: ending again keeps the first time. */
export async function markOfferEnded(db: Db, id: string, now: Date): Promise<void> {
  await db.offer.updateMany({ where: { id, endedAt: null }, data: { endedAt: now } });
}
