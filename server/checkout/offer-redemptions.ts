import type { Tx } from '../db/database.ts';
import type { CheckoutAttempt } from './checkout-attempts.ts';
import type { CheckoutSessionFacts } from './stripe-gateway.ts';
import { offerStatus, type OfferStatus } from './offers.ts';

// Fulfilment's checks of a session's offer, made again when it completes (offers' checks ran when it was made).

/**
 * Why a session that paid nothing with our offer's code may no longer have it: the offer was ended,
 * expired (our clock) or used up (our purchases, and `claimed` free sales earlier in this batch) after
 * the session was made (its checks ran then, and a session stays payable for a day). The offer's row
 * is locked first, so on PostgreSQL two transactions count its redemptions in turn; this session's own
 * purchase (made meanwhile by the success page or a redelivery) is not counted, so that race still ends
 * in the unique key and a retry that finds it. A paid session is
 * not refused: its buyer paid the discounted price, and refusing would keep the money without access.
 */
export async function reviewCopySpent(tx: Tx, offerId: string, checkoutSessionId: string, claimed: number, now: Date): Promise<Exclude<OfferStatus, 'active'> | null> {
  await tx.$executeRaw`UPDATE "Offer" SET "code" = "code" WHERE "id" = ${offerId}`;
  const offer = await tx.offer.findUnique({
    where: { id: offerId },
    select: { code: true, percentOff: true, amountOff: true, currency: true, expiresAt: true, maxRedemptions: true, stripePromotionCodeId: true, endedAt: true },
  });
  if (!offer) return 'ended';
  const redemptions = offer.maxRedemptions === null ? 0 : (await tx.purchase.count({ where: { offerId, checkoutSessionId: { not: checkoutSessionId } } })) + claimed;
  const status = offerStatus(offer, redemptions, now);
  return status === 'active' ? null : status;
}

/**
 * The offer whose promotion code the buyer typed on Stripe's page (promotion codes on, no offer of ours
 * on the session), if the code is an offer's. Stripe cannot tie an offer's coupon to a thesis (price_data
 * line items), so a code for another thesis is refused here; one for this thesis is a sale with its offer.
 * Read only for a session carrying a code that is not its attempt's offer's: usually no statement.
 */
export async function typedOfferCode(tx: Tx, facts: CheckoutSessionFacts, attempt: CheckoutAttempt) {
  if (!facts.promotionCode || attempt.offer) return null;
  return tx.offer.findFirst({ where: { stripePromotionCodeId: facts.promotionCode }, select: { id: true, code: true, thesisId: true } });
}
