import { systemClock, type Clock } from '../../server/clock.ts';
import { LocalStripe, type ApiParams } from '../../server/dev/test-payments/local-stripe.ts';
import type { LocalCheckoutSession } from '../../server/dev/test-payments/stripe-objects.ts';

export type FakeCheckoutSession = LocalCheckoutSession;

/** A coupon as Stripe answers POST /v1/coupons (the fields Warren sends and reads). */
export interface FakeCoupon {
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
export interface FakePromotionCode {
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

type Params = Record<string, unknown>;
const fakeId = (prefix: string) => `${prefix}_test_${Math.random().toString(36).slice(2, 14)}`;
const invalidRequest = (message: string, param?: string): [number, unknown] => [400, { error: { type: 'invalid_request_error', message, ...(param && { param }) } }];

export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, unknown>;
  idempotencyKey?: string;
}

/**
 * The local Stripe of test-payment mode (server/dev/test-payments/), with the controls tests need:
 * every API request recorded, refunds that fail on demand, and delayed payment methods.
 */
export class FakeStripe extends LocalStripe {
  readonly requests: RecordedRequest[] = [];
  /** How many of the next refund requests answer 500 (Stripe having a bad minute). */
  private failingRefunds = 0;
  /** A card error the next refund request answers with (Stripe refusing it: not retried by the SDK). */
  private refusal: string | null = null;
  /** How many of the next refund requests are carried out but answered 500 (the answer lost on the way). */
  private lostRefundAnswers = 0;
  readonly coupons = new Map<string, FakeCoupon>();
  readonly promotionCodes = new Map<string, FakePromotionCode>();
  /** Coupons and promotion codes by idempotency key: a repeated key answers the first result and makes nothing. */
  private readonly idempotentDiscounts = new Map<string, FakeCoupon | FakePromotionCode>();
  /** How many of the next coupon or promotion code creations answer 500 (and make nothing). */
  private failingDiscounts = 0;

  /** Stamps sessions, events and signatures: the clock of the app under test (a server process runs on the system's). */
  constructor(clock: Clock = systemClock) {
    super(clock);
  }

  start(): Promise<this> {
    return this.listen();
  }

  protected override answerApi(method: string, path: string, params: ApiParams, idempotencyKey?: string): [number, unknown] {
    this.requests.push({ method, path, params, idempotencyKey });
    if (method === 'POST' && path === '/v1/refunds' && this.failingRefunds > 0) {
      this.failingRefunds -= 1;
      return [500, { error: { type: 'api_error', message: 'Something went wrong on our end.' } }];
    }
    if (method === 'POST' && path === '/v1/refunds' && this.lostRefundAnswers > 0) {
      this.lostRefundAnswers -= 1;
      super.answerApi(method, path, params, idempotencyKey);
      return [500, { error: { type: 'api_error', message: 'Something went wrong on our end.' } }];
    }
    if (method === 'POST' && path === '/v1/refunds' && this.refusal !== null) {
      const message = this.refusal;
      this.refusal = null;
      return [402, { error: { type: 'card_error', code: 'refund_declined', message } }];
    }
    const discounts = this.answerDiscounts(method, path, params, idempotencyKey);
    if (discounts) return discounts;
    if (method === 'POST' && path === '/v1/checkout/sessions' && params.discounts !== undefined) return this.discountedSession(params, idempotencyKey);
    return super.answerApi(method, path, params, idempotencyKey);
  }

  /** POST /v1/coupons, POST/GET /v1/promotion_codes, POST /v1/promotion_codes/:id, with Stripe's checks of what Warren sends. */
  private answerDiscounts(method: string, path: string, params: Params, idempotencyKey?: string): [number, unknown] | null {
    const creating = method === 'POST' && (path === '/v1/coupons' || path === '/v1/promotion_codes');
    if (creating && idempotencyKey && this.idempotentDiscounts.has(idempotencyKey)) return [200, this.idempotentDiscounts.get(idempotencyKey)];
    if (creating && this.failingDiscounts > 0) {
      this.failingDiscounts -= 1;
      return [500, { error: { type: 'api_error', message: 'Something went wrong on our end.' } }];
    }
    const remember = <T extends FakeCoupon | FakePromotionCode>(made: T): [number, unknown] => {
      if (idempotencyKey) this.idempotentDiscounts.set(idempotencyKey, made);
      return [200, made];
    };
    if (method === 'POST' && path === '/v1/coupons') {
      const percent = params.percent_off === undefined ? null : Number(params.percent_off);
      const amount = params.amount_off === undefined ? null : Number(params.amount_off);
      if ((percent === null) === (amount === null)) return invalidRequest('You must pass exactly one of percent_off or amount_off.');
      if (percent !== null && !(percent > 0 && percent <= 100)) return invalidRequest('percent_off must be between 0 and 100.', 'percent_off');
      if (amount !== null && !params.currency) return invalidRequest('You must pass currency when passing amount_off.', 'currency');
      const coupon: FakeCoupon = {
        id: fakeId('coupon'),
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
      return remember(coupon);
    }
    if (method === 'POST' && path === '/v1/promotion_codes') {
      const couponId = (params.promotion as { coupon?: string } | undefined)?.coupon;
      if (!couponId || !this.coupons.has(couponId)) return invalidRequest(`No such coupon: '${String(couponId)}'`, 'promotion[coupon]');
      const code = String(params.code ?? '');
      if ([...this.promotionCodes.values()].some((other) => other.active && other.code.toUpperCase() === code.toUpperCase())) {
        return invalidRequest('An active promotion code with `code` already exists.', 'code');
      }
      const promotionCode: FakePromotionCode = {
        id: fakeId('promo'),
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
      return remember(promotionCode);
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

  /**
   * A session created with `discounts: [{ promotion_code }]`: refused as Stripe refuses it together with
   * allow_promotion_codes, or for a code that is inactive, expired or used up; else the coupon is applied
   * (amount_total and total_details.amount_discount), and paying it counts a redemption.
   */
  private discountedSession(params: Params, idempotencyKey?: string): [number, unknown] {
    if (params.allow_promotion_codes !== undefined) return invalidRequest('You may only specify one of these parameters: allow_promotion_codes, discounts.');
    const promotionCodeId = (params.discounts as { promotion_code?: string }[])[0]?.promotion_code;
    const promotionCode = promotionCodeId ? this.promotionCodes.get(promotionCodeId) : undefined;
    if (!promotionCode) return invalidRequest(`No such promotion code: '${String(promotionCodeId)}'`, 'discounts[0][promotion_code]');
    const usable =
      promotionCode.active &&
      (promotionCode.expires_at === null || promotionCode.expires_at > Math.floor(this.clock.now().getTime() / 1000)) &&
      (promotionCode.max_redemptions === null || promotionCode.times_redeemed < promotionCode.max_redemptions);
    if (!usable) return invalidRequest('This promotion code cannot be redeemed because the associated coupon is no longer valid.', 'discounts');
    const { discounts: _discounts, ...rest } = params;
    const [status, created] = super.answerApi('POST', '/v1/checkout/sessions', rest, idempotencyKey);
    const session = created as FakeCheckoutSession;
    if (status !== 200 || session.discounts) return [status, session];
    const coupon = this.coupons.get(promotionCode.promotion.coupon)!;
    const off = Math.min(session.amount_subtotal, coupon.percent_off !== null ? Math.round((session.amount_subtotal * coupon.percent_off) / 100) : coupon.amount_off!);
    Object.assign(session, {
      amount_total: session.amount_subtotal - off,
      total_details: { amount_discount: off, amount_shipping: 0, amount_tax: 0 },
      discounts: [{ coupon: coupon.id, promotion_code: promotionCode.id }],
    });
    return [status, session];
  }

  /** Pays on the hosted page; a session whose discount took the whole price completes with nothing to pay and no PaymentIntent. */
  override pay(sessionId: string, email: string): FakeCheckoutSession {
    const before = this.sessions.get(sessionId);
    const discounted = before?.discounts?.[0]?.promotion_code ? this.promotionCodes.get(before.discounts[0].promotion_code) : undefined;
    if (discounted && before!.status !== 'complete') discounted.times_redeemed += 1;
    if (discounted && before!.amount_total === 0) {
      return Object.assign(before!, { status: 'complete', payment_status: 'no_payment_required', customer_details: { email }, payment_intent: null });
    }
    return super.pay(sessionId, email);
  }

  /** Makes the next `count` coupon or promotion code creations fail with a 500 (the SDK retries twice). */
  failNextDiscountCreations(count: number): this {
    this.failingDiscounts = count;
    return this;
  }

  discountRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path.startsWith('/v1/coupons') || request.path.startsWith('/v1/promotion_codes'));
  }

  /** Makes the next `count` refund requests fail with a 500, as an outage would. */
  failNextRefunds(count: number): this {
    this.failingRefunds = count;
    return this;
  }

  /** Makes the next `count` refund requests refund (or replay their key) but answer 500, as a lost answer would. */
  loseNextRefundAnswers(count: number): this {
    this.lostRefundAnswers = count;
    return this;
  }

  /** Forgets every refund's idempotency key, as Stripe does after 24 hours: the same key then makes a new refund. */
  forgetIdempotencyKeys(): this {
    this.idempotentRefunds.clear();
    return this;
  }

  /** Makes the next refund request refused by Stripe with this message (402, a card error). */
  refuseNextRefund(message: string): this {
    this.refusal = message;
    return this;
  }

  refundCreations(): RecordedRequest[] {
    return this.requests.filter((request) => request.method === 'POST' && request.path === '/v1/refunds');
  }

  /** What Stripe does when the buyer chooses a delayed method (bank debit): complete, not yet paid. */
  payLater(sessionId: string, email: string): FakeCheckoutSession {
    const session = this.pay(sessionId, email);
    session.payment_status = 'unpaid';
    return session;
  }

  sessionCreations(): RecordedRequest[] {
    return this.requests.filter((request) => request.method === 'POST' && request.path === '/v1/checkout/sessions');
  }
}
