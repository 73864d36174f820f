import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { isUniqueViolation, type Db } from '../db/database.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { formatPrice } from '../http/money.ts';
import { formatDay } from '../http/dates.ts';
import { listThesisPrices } from '../catalog/thesis-lookup.repo.ts';
import type { ThesisPageOffer } from '../catalog/catalog.routes.ts';
import { checkOfferForm, OFFER_CODE, type OfferFormInput, type OfferFormProblems } from './offer-form.ts';
import {
  countRedemptions,
  findOffer,
  findOfferByCode,
  insertPendingOffer,
  listOffersWithRedemptions,
  markOfferCreated,
  markOfferEnded,
  noteOfferError,
  type OfferRow,
} from './offers.repo.ts';
import type { StripeGateway } from './stripe-gateway.ts';

export interface OfferDeps {
  db: Db;
  clock: Clock;
  stripe: StripeGateway;
}

export type OfferStatus = 'not yet in Stripe' | 'ended' | 'expired' | 'used up' | 'active';

type OfferTerms = Pick<OfferRow, 'code' | 'percentOff' | 'amountOff' | 'currency' | 'expiresAt' | 'maxRedemptions' | 'stripePromotionCodeId' | 'endedAt'>;

/** Whether an offer can be used now, and if not why: the order is the one a buyer is told. */
export function offerStatus(offer: OfferTerms, redemptions: number, now: Date): OfferStatus {
  if (!offer.stripePromotionCodeId) return 'not yet in Stripe';
  if (offer.endedAt) return 'ended';
  if (offer.expiresAt && offer.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (offer.maxRedemptions !== null && redemptions >= offer.maxRedemptions) return 'used up';
  return 'active';
}

/** "20 % off", "$20 CAD off", "free (review copy)". */
export function discountLabel(offer: Pick<OfferRow, 'percentOff' | 'amountOff' | 'currency'>): string {
  if (offer.percentOff === 100) return 'free (review copy)';
  if (offer.percentOff !== null) return `${offer.percentOff} % off`;
  return `${formatPrice(offer.amountOff ?? 0, offer.currency)} off`;
}

/** What the thesis and buy pages say of a usable offer: "Offer CODE: 20 % off, until December 31, 2026" or "Review copy: free". */
export function offerNotice(offer: OfferTerms): string {
  if (offer.percentOff === 100) return 'Review copy: free';
  return `Offer ${offer.code}: ${discountLabel(offer)}${offer.expiresAt ? `, until ${formatDay(offer.expiresAt)}` : ''}`;
}

const REFUSALS: Record<Exclude<OfferStatus, 'active'>, (code: string) => string> = {
  'not yet in Stripe': (code) => `The offer code ${code} is not valid.`,
  ended: (code) => `The offer ${code} has ended.`,
  expired: (code) => `The offer ${code} has expired.`,
  'used up': (code) => `The offer ${code} has been used as many times as it allowed.`,
};
const FULL_PRICE = 'You can still buy this thesis at the full price.';

/** An offer that may be put on a Checkout Session for this thesis now. */
export interface UsableOffer {
  id: string;
  code: string;
  promotionCodeId: string;
  notice: string;
}

/**
 * Decides whether a code from a link or the buy form applies to this thesis now, on our clock and our
 * purchases: Stripe's coupon cannot be tied to a thesis (the session's line item is price_data, no
 * product), so "only for its thesis" is enforced here. A refusal says why in plain words.
 */
export async function checkOfferCode(db: Db, typed: string, thesisId: string, now: Date): Promise<{ offer: UsableOffer } | { refusal: string }> {
  const code = typed.trim().toUpperCase();
  if (!OFFER_CODE.test(code)) return { refusal: `That offer code is not valid. ${FULL_PRICE}` };
  const offer = await findOfferByCode(db, code);
  if (!offer) return { refusal: `${REFUSALS['not yet in Stripe'](code)} ${FULL_PRICE}` };
  if (offer.thesisId !== thesisId) return { refusal: `The offer ${code} is for another thesis (${offer.thesis.title}). ${FULL_PRICE}` };
  const status = offerStatus(offer, await countRedemptions(db, offer.id), now);
  if (status !== 'active') return { refusal: `${REFUSALS[status](code)} ${FULL_PRICE}` };
  return { offer: { id: offer.id, code, promotionCodeId: offer.stripePromotionCodeId!, notice: offerNotice(offer) } };
}

/** What the thesis page shows for a link's ?offer=CODE: the notice and the code its buy links carry, or why not. */
export async function offerForThesisPage(db: Db, code: string, thesisId: string, now: Date): Promise<ThesisPageOffer> {
  const checked = await checkOfferCode(db, code, thesisId, now);
  return 'offer' in checked ? { code: checked.offer.code, message: checked.offer.notice, refused: false } : { code: null, message: checked.refusal, refused: true };
}

/** The offers page: every offer with its redemptions, status and link; and the theses one can be made for. */
export async function offersPage(db: Db, now: Date, appUrl: string) {
  const [offers, theses] = await Promise.all([listOffersWithRedemptions(db), listThesisPrices(db)]);
  return {
    theses: theses.map((thesis) => ({ ...thesis, price: formatPrice(thesis.priceAmount, thesis.currency) })),
    offers: offers.map((offer) => {
      const status = offerStatus(offer, offer.redemptions, now);
      return {
        ...offer,
        discount: discountLabel(offer),
        status,
        pending: status === 'not yet in Stripe',
        endable: status !== 'ended',
        link: `${appUrl}/theses/${offer.thesis.slug}?offer=${offer.code}`,
      };
    }),
  };
}

/**
 * Our row first, pending (no Stripe ids: no link or checkout uses it), then the coupon and the
 * promotion code, each under an idempotency key derived from the row's id. A Stripe failure leaves
 * the pending row with the error and "Try again", which sends the same keys: at most one coupon and
 * one promotion code, whatever happened to the first answers.
 */
export async function createOffer(deps: OfferDeps, input: OfferFormInput, adminId: string): Promise<{ offerId: string } | { problems: OfferFormProblems }> {
  const theses = await listThesisPrices(deps.db);
  const now = deps.clock.now();
  const checked = checkOfferForm(input, theses.find((thesis) => thesis.id === input.thesisId) ?? null, now);
  if ('problems' in checked) return checked;
  const taken = { problems: { code: `The code ${checked.request.code} is already used by another offer: choose another.` } };
  if (await findOfferByCode(deps.db, checked.request.code)) return taken;
  const id = randomUUID();
  try {
    await insertPendingOffer(deps.db, id, checked.request, adminId, now);
  } catch (error) {
    if (isUniqueViolation(error)) return taken;
    throw error;
  }
  await makeInStripe(deps, id);
  return { offerId: id };
}

/** Makes (or finds again, by the same keys) the offer's coupon and promotion code in Stripe. */
export async function makeInStripe(deps: OfferDeps, offerId: string): Promise<OfferRow> {
  const offer = await findOffer(deps.db, offerId);
  if (!offer) throw notFound('There is no such offer.');
  if (offer.stripePromotionCodeId) return offer;
  try {
    const made = await deps.stripe.createOfferDiscount({ offerId: offer.id, ...offer });
    await markOfferCreated(deps.db, offer.id, made);
    return { ...offer, stripeCouponId: made.couponId, stripePromotionCodeId: made.promotionCodeId, lastError: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await noteOfferError(deps.db, offer.id, message);
    throw new HttpError(
      502,
      `Stripe did not make the offer ${offer.code} (“${message}”). It is saved but not usable: no link or checkout applies it. Try again from the offers page; Stripe makes it at most once.`,
      'Offer not made yet',
      { href: '/admin/offers', text: 'Back to the offers' },
    );
  }
}

/**
 * Deactivates the promotion code in Stripe, then records the end: a failure in between leaves the
 * offer running here and the end can be asked again; ending an ended offer changes nothing. A pending
 * offer is first made (or found) in Stripe by its keys, so a code Stripe made unseen is ended too.
 */
export async function endOffer(deps: OfferDeps, offerId: string): Promise<void> {
  const found = await findOffer(deps.db, offerId);
  if (!found) throw notFound('There is no such offer.');
  if (found.endedAt) return;
  const offer = await makeInStripe(deps, offerId);
  await deps.stripe.deactivatePromotionCode(offer.stripePromotionCodeId!);
  await markOfferEnded(deps.db, offer.id, deps.clock.now());
}
