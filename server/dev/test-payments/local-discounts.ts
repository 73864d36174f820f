import { randomBytes } from 'node:crypto';
import type { LocalCheckoutSession } from './stripe-objects.ts';

type ApiAnswer = [status: number, payload: unknown];
type Params = Record<string, unknown>;

/** A coupon as Stripe answers POST /v1/coupons (the fields Warren sends and reads). */
export interface LocalCoupon {
  id: string;
  object: 'coupon';
  percent_off: number | null;
  amount_off: number | null;
  currency: string | null;
  duration: string;
  name: string | null;
  metadata: Record<string, string>;
  valid: boolean;
}

/** A promotion code as Stripe answers POST /v1/promotion_codes (API 2025-09-30 and later: `promotion.coupon`). */
export interface LocalPromotionCode {
  id: string;
  object: 'promotion_code';
  code: string;
  active: boolean;
  promotion: { type: 'coupon'; coupon: string };
  max_redemptions: number | null;
  expires_at: number | null;
  times_redeemed: number;
  metadata: Record<string, string>;
}

const stripeId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;
const invalid = (message: string, param?: string): ApiAnswer => [400, { error: { type: 'invalid_request_error', message, ...(param && { param }) } }];

/**
 * The coupons and promotion codes of the local Stripe (the admin's offers, checkout/offers.ts), with
 * Stripe's checks of what Warren sends: a repeated idempotency key answers the first object and makes
 * nothing; a session's `discounts` are refused with allow_promotion_codes or for a code that is
 * inactive, expired or used up, else the coupon is applied; paying such a session counts a redemption.
 */
export class LocalDiscounts {
  readonly coupons = new Map<string, LocalCoupon>();
  readonly promotionCodes = new Map<string, LocalPromotionCode>();
  private readonly idempotent = new Map<string, LocalCoupon | LocalPromotionCode>();

  /** POST /v1/coupons, POST/GET /v1/promotion_codes, POST /v1/promotion_codes/:id; null for any other request. */
  answer(method: string, path: string, params: Params, idempotencyKey?: string): ApiAnswer | null {
    const creating = method === 'POST' && (path === '/v1/coupons' || path === '/v1/promotion_codes');
    if (creating && idempotencyKey && this.idempotent.has(idempotencyKey)) return [200, this.idempotent.get(idempotencyKey)];
    const remember = (made: LocalCoupon | LocalPromotionCode): ApiAnswer => {
      if (idempotencyKey) this.idempotent.set(idempotencyKey, made);
      return [200, made];
    };
    if (method === 'POST' && path === '/v1/coupons') {
      const made = this.coupon(params);
      return 'id' in made ? remember(made) : made;
    }
    if (method === 'POST' && path === '/v1/promotion_codes') {
      const made = this.promotionCode(params);
      return 'id' in made ? remember(made) : made;
    }
    if (method === 'GET' && path === '/v1/promotion_codes') {
      const data = [...this.promotionCodes.values()].filter((promo) => params.code === undefined || promo.code === params.code).reverse();
      return [200, { object: 'list', url: path, has_more: false, data }];
    }
    const update = /^\/v1\/promotion_codes\/([^/]+)$/.exec(path);
    if (method === 'POST' && update) {
      const promotionCode = this.promotionCodes.get(decodeURIComponent(update[1]!));
      if (!promotionCode) return [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such promotion code: '${update[1]}'` } }];
      if (params.active !== undefined) promotionCode.active = params.active === 'true';
      return [200, promotionCode];
    }
    return null;
  }

  private coupon(params: Params): LocalCoupon | ApiAnswer {
    const percent = params.percent_off === undefined ? null : Number(params.percent_off);
    const amount = params.amount_off === undefined ? null : Number(params.amount_off);
    if ((percent === null) === (amount === null)) return invalid('You must pass exactly one of percent_off or amount_off.');
    if (percent !== null && !(percent > 0 && percent <= 100)) return invalid('percent_off must be between 0 and 100.', 'percent_off');
    if (amount !== null && !params.currency) return invalid('You must pass currency when passing amount_off.', 'currency');
    const coupon: LocalCoupon = {
      id: stripeId('coupon'),
      object: 'coupon',
      percent_off: percent,
      amount_off: amount,
      currency: (params.currency as string | undefined) ?? null,
      duration: String(params.duration ?? 'once'),
      name: (params.name as string | undefined) ?? null,
      metadata: (params.metadata as Record<string, string> | undefined) ?? {},
      valid: true,
    };
    this.coupons.set(coupon.id, coupon);
    return coupon;
  }

  private promotionCode(params: Params): LocalPromotionCode | ApiAnswer {
    const couponId = (params.promotion as { coupon?: string } | undefined)?.coupon;
    if (!couponId || !this.coupons.has(couponId)) return invalid(`No such coupon: '${String(couponId)}'`, 'promotion[coupon]');
    const code = String(params.code ?? '');
    if ([...this.promotionCodes.values()].some((other) => other.active && other.code.toUpperCase() === code.toUpperCase())) {
      return invalid('An active promotion code with `code` already exists.', 'code');
    }
    const promotionCode: LocalPromotionCode = {
      id: stripeId('promo'),
      object: 'promotion_code',
      code,
      active: true,
      promotion: { type: 'coupon', coupon: couponId },
      max_redemptions: params.max_redemptions === undefined ? null : Number(params.max_redemptions),
      expires_at: params.expires_at === undefined ? null : Number(params.expires_at),
      times_redeemed: 0,
      metadata: (params.metadata as Record<string, string> | undefined) ?? {},
    };
    this.promotionCodes.set(promotionCode.id, promotionCode);
    return promotionCode;
  }

  /** Checks a new session's `discounts` (at `nowSeconds`): the promotion code to apply, or Stripe's refusal. */
  checkSessionDiscounts(params: Params, nowSeconds: number): LocalPromotionCode | ApiAnswer {
    if (params.allow_promotion_codes !== undefined) return invalid('You may only specify one of these parameters: allow_promotion_codes, discounts.');
    const promotionCodeId = (params.discounts as { promotion_code?: string }[] | undefined)?.[0]?.promotion_code;
    const promotionCode = promotionCodeId ? this.promotionCodes.get(promotionCodeId) : undefined;
    if (!promotionCode) return invalid(`No such promotion code: '${String(promotionCodeId)}'`, 'discounts[0][promotion_code]');
    const usable =
      promotionCode.active &&
      (promotionCode.expires_at === null || promotionCode.expires_at > nowSeconds) &&
      (promotionCode.max_redemptions === null || promotionCode.times_redeemed < promotionCode.max_redemptions);
    if (!usable) return invalid('This promotion code cannot be redeemed because the associated coupon is no longer valid.', 'discounts');
    return promotionCode;
  }

  /** Applies a promotion code's coupon to a new session: amount_total, total_details.amount_discount, discounts. */
  apply(session: LocalCheckoutSession, promotionCode: LocalPromotionCode): void {
    const coupon = this.coupons.get(promotionCode.promotion.coupon)!;
    const off = Math.min(session.amount_subtotal, coupon.percent_off !== null ? Math.round((session.amount_subtotal * coupon.percent_off) / 100) : coupon.amount_off!);
    Object.assign(session, {
      amount_total: session.amount_subtotal - off,
      total_details: { amount_discount: off, amount_shipping: 0, amount_tax: 0 },
      discounts: [{ coupon: coupon.id, promotion_code: promotionCode.id }],
    });
  }

  /** Counts a redemption when a session carrying a promotion code completes. */
  redeemed(session: LocalCheckoutSession): void {
    const promotionCodeId = session.discounts?.[0]?.promotion_code;
    const promotionCode = promotionCodeId ? this.promotionCodes.get(promotionCodeId) : undefined;
    if (promotionCode) promotionCode.times_redeemed += 1;
  }
}
