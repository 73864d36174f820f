import { systemClock, type Clock } from '../../server/clock.ts';
import { LocalStripe, type ApiParams } from '../../server/dev/test-payments/local-stripe.ts';
import type { LocalCheckoutSession } from '../../server/dev/test-payments/stripe-objects.ts';

export type FakeCheckoutSession = LocalCheckoutSession;

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
    const creatingDiscount = method === 'POST' && (path === '/v1/coupons' || path === '/v1/promotion_codes');
    if (creatingDiscount && this.failingDiscounts > 0) {
      this.failingDiscounts -= 1;
      return [500, { error: { type: 'api_error', message: 'Something went wrong on our end.' } }];
    }
    return super.answerApi(method, path, params, idempotencyKey);
  }

  /** Coupons made through the API (the admin's offers), by id. */
  get coupons() {
    return this.discounts.coupons;
  }

  /** Promotion codes made through the API, by id: `active`, `times_redeemed`. */
  get promotionCodes() {
    return this.discounts.promotionCodes;
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
