import { systemClock, type Clock } from '../../server/clock.ts';
import { LocalStripe, type ApiParams } from '../../server/dev/test-payments/local-stripe.ts';
import type { LocalCheckoutSession } from '../../server/dev/test-payments/stripe-objects.ts';

export type FakeCheckoutSession = LocalCheckoutSession;

/** One tax Stripe Tax charged on a session: its rate (a TaxRate's fields) and amount. */
export interface FakeTax {
  displayName: string;
  percentage: number;
  jurisdiction: string | null;
  country: string;
  state: string | null;
  inclusive: boolean;
  amount: number;
  taxabilityReason?: string;
}

/** Canadian rates as Stripe Tax names them, for a $75 exclusive price unless said otherwise. */
export const CANADIAN_TAXES = {
  gst: { displayName: 'GST', percentage: 5, jurisdiction: 'Canada', country: 'CA', state: null, inclusive: false, amount: 375 },
  hstOntario: { displayName: 'HST', percentage: 13, jurisdiction: 'Ontario', country: 'CA', state: 'ON', inclusive: false, amount: 975 },
  qst: { displayName: 'QST', percentage: 9.975, jurisdiction: 'Quebec', country: 'CA', state: 'QC', inclusive: false, amount: 748 },
  /** 13 % HST inside a $75 inclusive price: 75 - 75 / 1.13. */
  hstOntarioIncluded: { displayName: 'HST', percentage: 13, jurisdiction: 'Ontario', country: 'CA', state: 'ON', inclusive: true, amount: 863 },
} satisfies Record<string, FakeTax>;

/** What the buyer typed on Checkout besides the e-mail: a name, a business tax ID. */
export interface FakeBuyer {
  name?: string;
  taxId?: { type: string; value: string };
}

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
  /** Each taxed session's breakdown by rate (total_details.breakdown.taxes), answered only when expanded. */
  private readonly taxBreakdowns = new Map<string, unknown[]>();
  /** How many of the next requests for a session's tax breakdown answer 500. */
  private failingBreakdowns = 0;
  /** Sessions created with invoice_creation[enabled]: paying them makes an invoice. */
  private readonly invoicing = new Set<string>();
  readonly invoices = new Map<string, { id: string; object: 'invoice'; hosted_invoice_url: string; invoice_pdf: string; status: string }>();
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
    if (method === 'GET' && /^\/v1\/checkout\/sessions/.test(path) && this.expands(params, 'total_details.breakdown') && this.failingBreakdowns > 0) {
      this.failingBreakdowns -= 1;
      return [500, { error: { type: 'api_error', message: 'Something went wrong on our end.' } }];
    }
    const invoice = /^\/v1\/invoices\/([^/]+)$/.exec(path);
    if (method === 'GET' && invoice) {
      const found = this.invoices.get(decodeURIComponent(invoice[1]!));
      return found ? [200, found] : [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such invoice: '${invoice[1]}'` } }];
    }
    const [status, payload] = super.answerApi(method, path, params, idempotencyKey);
    if (method === 'POST' && path === '/v1/checkout/sessions' && status === 200) {
      const invoiceCreation = params.invoice_creation as { enabled?: string } | undefined;
      if (invoiceCreation?.enabled === 'true') this.invoicing.add((payload as FakeCheckoutSession).id);
    }
    if (method !== 'GET' || status !== 200) return [status, payload];
    // Stripe leaves the breakdown out unless asked: `expand[]=total_details.breakdown` (or `data.` on a list).
    if (this.expands(params, 'total_details.breakdown')) return [status, this.withBreakdown(payload as FakeCheckoutSession)];
    if (this.expands(params, 'data.total_details.breakdown')) {
      const list = payload as { data: FakeCheckoutSession[] };
      return [status, { ...list, data: list.data.map((session) => this.withBreakdown(session)) }];
    }
    return [status, payload];
  }

  private expands(params: Record<string, unknown>, field: string): boolean {
    return Array.isArray(params.expand) && params.expand.includes(field);
  }

  private withBreakdown(session: FakeCheckoutSession) {
    if (!session.total_details) return session;
    return { ...session, total_details: { ...session.total_details, breakdown: { discounts: [], taxes: this.taxBreakdowns.get(session.id) ?? [] } } };
  }

  /** Makes the next `count` requests for a session with its tax breakdown fail with a 500, as an outage would. */
  failNextTaxBreakdowns(count: number): this {
    this.failingBreakdowns = count;
    return this;
  }

  /** What Stripe does when the buyer pays; an invoice is made when the session asked for one. */
  override pay(sessionId: string, email: string): FakeCheckoutSession {
    const session = super.pay(sessionId, email);
    if (this.invoicing.has(sessionId)) {
      const id = `in_test_${sessionId.slice(-12)}`;
      this.invoices.set(id, {
        id,
        object: 'invoice',
        hosted_invoice_url: `https://invoice.stripe.test/i/${id}`,
        invoice_pdf: `https://pay.stripe.test/invoice/${id}/pdf`,
        status: 'paid',
      });
      Object.assign(session, { invoice: id });
    }
    return session;
  }

  /**
   * Paid with Stripe Tax on, each tax by rate as Stripe reports it: exclusive ones are added to the
   * total, inclusive ones are already in the price; all count in total_details.amount_tax. `buyer`
   * is what else the buyer typed on Checkout (name, business tax ID).
   */
  payWithTaxes(sessionId: string, email: string, taxes: readonly FakeTax[], buyer: FakeBuyer = {}): FakeCheckoutSession {
    const session = this.pay(sessionId, email);
    const added = taxes.filter((tax) => !tax.inclusive).reduce((sum, tax) => sum + tax.amount, 0);
    this.taxBreakdowns.set(
      sessionId,
      taxes.map((tax, n) => ({
        amount: tax.amount,
        rate: {
          id: `txr_test_${n}`,
          object: 'tax_rate',
          active: true,
          display_name: tax.displayName,
          percentage: tax.percentage,
          effective_percentage: tax.percentage,
          jurisdiction: tax.jurisdiction,
          country: tax.country,
          state: tax.state,
          inclusive: tax.inclusive,
          tax_type: tax.displayName.toLowerCase(),
        },
        taxability_reason: tax.taxabilityReason ?? 'standard_rated',
        taxable_amount: tax.inclusive ? session.amount_subtotal - tax.amount : session.amount_subtotal,
      })),
    );
    return Object.assign(session, {
      amount_total: session.amount_subtotal + added,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: taxes.reduce((sum, tax) => sum + tax.amount, 0) },
      customer_details: { email, name: buyer.name ?? null, tax_exempt: 'none', tax_ids: buyer.taxId ? [buyer.taxId] : [] },
    });
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
