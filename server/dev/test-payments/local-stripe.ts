import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import qs from 'qs';
import Stripe from 'stripe';
import type { Clock } from '../../clock.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { answerCheckoutPage, type CheckoutPageHost } from './checkout-page.ts';
import type { LocalCheckoutSession, LocalEvent, LocalRefund } from './stripe-objects.ts';
import { LocalDiscounts } from './local-discounts.ts';

type ApiAnswer = [status: number, payload: unknown];
/** A request's form or query, decoded as Stripe encodes nested parameters (`a[b][0]=c`). */
export type ApiParams = Record<string, unknown>;

/** The parameters Warren's gateway sends (stripe-gateway.ts), all strings once form-encoded. */
interface SessionParams {
  mode?: string;
  line_items?: { quantity?: string; price_data?: { currency?: string; unit_amount?: string; product_data?: { name?: string } } }[];
  client_reference_id?: string;
  metadata?: Record<string, string>;
  success_url?: string;
  cancel_url?: string;
  customer_email?: string;
  allow_promotion_codes?: string;
}
interface RefundParams {
  payment_intent?: string;
  /** Minor units; the whole unrefunded rest when absent. */
  amount?: string;
  reason?: string;
  metadata?: Record<string, string>;
  expand?: string[];
}

const REFUND_REASONS = new Set(['requested_by_customer', 'duplicate', 'fraudulent']);
const invalid = (message: string, code?: string): ApiAnswer => [400, { error: { type: 'invalid_request_error', ...(code && { code }), message } }];
interface ListParams {
  created?: { gte?: string };
  types?: string[];
}

const stripeId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;

const missing = (kind: string, id: unknown): ApiAnswer => [
  404,
  { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${kind}: '${String(id)}'` } },
];

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A local stand-in for the parts of Stripe's API Warren calls, with a hosted checkout page. The site
 * talks to it through the real `stripe` SDK (host/port/protocol), so request encoding, auth headers
 * and error mapping are the SDK's own. Test-payment mode (test-payments.ts) and the tests' fake
 * (test/support/fake-stripe.ts) are this one implementation. Everything is held in memory.
 */
export class LocalStripe implements CheckoutPageHost {
  readonly sessions = new Map<string, LocalCheckoutSession>();
  /** Every refund made, once each (a repeated idempotency key answers the first one and adds nothing). */
  readonly refunds: LocalRefund[] = [];
  /** Every event made with signedEvent/event, as Stripe keeps them for GET /v1/events. */
  readonly events: LocalEvent[] = [];
  /** Coupons and promotion codes (the admin's offers). */
  readonly discounts = new LocalDiscounts();
  /** Payment intents with an open dispute. */
  private readonly disputed = new Set<string>();
  /** What each session sells (Stripe keeps it on the line items; the payments page shows it). */
  private readonly productNames = new Map<string, string>();
  private readonly idempotentSessions = new Map<string, LocalCheckoutSession>();
  protected readonly idempotentRefunds = new Map<string, LocalRefund>();
  private server?: Server;
  url = '';
  /** Where paying, refunding and disputing deliver their signed events. */
  private webhook?: { url: string; secret: string };

  /**
   * `clock` stamps sessions, events and signatures: the site's clock. With `secretKey`, API calls
   * must carry it (as Stripe's do): other programs on the machine cannot drive the site's payments.
   */
  constructor(
    protected readonly clock: Clock,
    private readonly secretKey?: string,
  ) {}

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  sendWebhooksTo(url: string, secret: string): this {
    this.webhook = { url, secret };
    return this;
  }

  /** Listens on a free loopback port: nothing off this machine can reach it. */
  async listen(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const [path, query = ''] = (req.url ?? '/').split('?');
    const params: ApiParams = method === 'GET' ? qs.parse(query) : qs.parse(body);
    const hosted = /^\/pay\/([^/]+)$/.exec(path);
    if (hosted) return answerCheckoutPage(this, method, decodeURIComponent(hosted[1]), params, res);
    const [status, payload] =
      this.secretKey && req.headers.authorization !== `Bearer ${this.secretKey}`
        ? [401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }]
        : this.answerApi(method, path, params, req.headers['idempotency-key'] as string | undefined);
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': stripeId('req') });
    res.end(JSON.stringify(payload));
  }

  /** The JSON API, by method and path. */
  protected answerApi(method: string, path: string, params: ApiParams, idempotencyKey?: string): ApiAnswer {
    const discounts = this.discounts.answer(method, path, params, idempotencyKey);
    if (discounts) return discounts;
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      // Stripe answers a repeated idempotency key with the first result.
      const earlier = idempotencyKey ? this.idempotentSessions.get(idempotencyKey) : undefined;
      const promotionCode = earlier || params.discounts === undefined ? null : this.discounts.checkSessionDiscounts(params, this.nowSeconds());
      if (Array.isArray(promotionCode)) return promotionCode;
      const session = earlier ?? this.createSession(params as SessionParams);
      if (promotionCode && !earlier) this.discounts.apply(session, promotionCode);
      if (idempotencyKey) this.idempotentSessions.set(idempotencyKey, session);
      return [200, session];
    }
    if (method === 'POST' && path === '/v1/refunds') return this.refund(params as RefundParams, idempotencyKey);
    if (method === 'GET' && path === '/v1/refunds') return [200, this.list(path, [...this.refunds].reverse())];
    const { created, types } = params as ListParams;
    const since = Number(created?.gte ?? 0);
    if (method === 'GET' && path === '/v1/checkout/sessions') {
      return [200, this.list(path, [...this.sessions.values()].filter((s) => s.created >= since).reverse())];
    }
    if (method === 'GET' && path === '/v1/events') {
      const events = this.events.filter((e) => e.created >= since && (!types || types.includes(e.type)));
      return [200, this.list(path, [...events].reverse())];
    }
    const match = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) {
      const session = this.sessions.get(decodeURIComponent(match[1]));
      return session ? [200, session] : missing('checkout.session', match[1]);
    }
    return [404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` } }];
  }

  /**
   * A refund of a payment intent, whole or part (`amount`): once per idempotency key; as at Stripe, a
   * reason outside Stripe's three, an amount above what is left unrefunded, or refunding a refunded
   * payment is an error. `expand[]=charge` answers with the charge after the refund.
   */
  private refund(params: RefundParams, idempotencyKey?: string): ApiAnswer {
    const earlier = idempotencyKey ? this.idempotentRefunds.get(idempotencyKey) : undefined;
    if (earlier) return [200, this.refundAnswer(earlier, params)];
    const session = [...this.sessions.values()].find((candidate) => candidate.payment_intent && candidate.payment_intent === params.payment_intent);
    if (!session) return missing('payment_intent', params.payment_intent);
    if (params.reason !== undefined && !REFUND_REASONS.has(params.reason)) {
      return invalid('Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer');
    }
    const left = session.amount_total - this.refundedAmount(session);
    if (left <= 0) return invalid('Charge has already been refunded.', 'charge_already_refunded');
    const amount = params.amount === undefined ? left : Number(params.amount);
    if (!Number.isInteger(amount) || amount < 1) return invalid('Invalid positive integer', 'parameter_invalid_integer');
    if (amount > left) {
      return invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, 'amount_too_large');
    }
    const refund: LocalRefund = {
      id: stripeId('re'),
      object: 'refund',
      amount,
      currency: session.currency,
      payment_intent: session.payment_intent!,
      charge: `ch_${session.payment_intent}`,
      reason: params.reason ?? null,
      metadata: params.metadata ?? {},
      status: 'succeeded',
      created: this.nowSeconds(),
    };
    this.refunds.push(refund);
    if (idempotencyKey) this.idempotentRefunds.set(idempotencyKey, refund);
    return [200, this.refundAnswer(refund, params)];
  }

  private refundAnswer(refund: LocalRefund, params: RefundParams) {
    if (!params.expand?.includes('charge')) return refund;
    const session = [...this.sessions.values()].find((candidate) => candidate.payment_intent === refund.payment_intent)!;
    const refunded = this.refundedAmount(session);
    return { ...refund, charge: { ...this.charge(session), amount_refunded: refunded, refunded: refunded >= session.amount_total } };
  }

  /** What has been refunded of a session's payment so far. */
  refundedAmount(session: LocalCheckoutSession): number {
    return this.refunds.filter((refund) => refund.payment_intent === session.payment_intent).reduce((sum, refund) => sum + refund.amount, 0);
  }

  private createSession(params: SessionParams): LocalCheckoutSession {
    const items = params.line_items ?? [];
    const amount = items.reduce((sum, item) => sum + Number(item.price_data?.unit_amount) * Number(item.quantity), 0);
    const session: LocalCheckoutSession = {
      id: stripeId('cs'),
      object: 'checkout.session',
      mode: params.mode ?? 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: amount,
      amount_total: amount,
      currency: items[0]?.price_data?.currency ?? 'cad',
      client_reference_id: params.client_reference_id ?? null,
      metadata: params.metadata ?? {},
      success_url: params.success_url ?? '',
      cancel_url: params.cancel_url ?? '',
      url: '',
      customer_email: params.customer_email ?? null,
      customer_details: null,
      payment_intent: null,
      allow_promotion_codes: params.allow_promotion_codes === 'true',
      livemode: false,
      created: this.nowSeconds(),
    };
    session.url = `${this.url}/pay/${session.id}`;
    this.sessions.set(session.id, session);
    this.productNames.set(session.id, String(items[0]?.price_data?.product_data?.name ?? ''));
    return session;
  }

  private list(url: string, data: unknown[]) {
    return { object: 'list', url, has_more: false, data };
  }

  /** The name of what a session sells. */
  productOf(sessionId: string): string {
    return this.productNames.get(sessionId) ?? '';
  }

  private sessionOrThrow(sessionId: string): LocalCheckoutSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw notFound(`There is no test checkout session ${sessionId}.`);
    return session;
  }

  /** What Stripe does when the buyer pays on the hosted page. */
  pay(sessionId: string, email: string): LocalCheckoutSession {
    const session = this.sessionOrThrow(sessionId);
    if (session.status !== 'complete') this.discounts.redeemed(session);
    // An offer that took the whole price: nothing to pay, no PaymentIntent (as Stripe completes it).
    if (session.discounts && session.amount_total === 0) {
      return Object.assign(session, { status: 'complete', payment_status: 'no_payment_required', customer_details: { email }, payment_intent: null });
    }
    Object.assign(session, { status: 'complete', payment_status: 'paid', customer_details: { email }, payment_intent: stripeId('pi') });
    return session;
  }

  /** Paid with Stripe Tax on: the tax Stripe computed is added to the total and named in total_details. */
  payWithTax(sessionId: string, email: string, tax: number): LocalCheckoutSession {
    const session = this.pay(sessionId, email);
    return Object.assign(session, {
      amount_total: session.amount_subtotal + tax,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: tax },
    });
  }

  /**
   * What Stripe does when a promotion code takes the whole price: the session completes with
   * nothing to pay, amount_total 0, no PaymentIntent, and the discount in total_details.
   */
  payWithFullDiscount(sessionId: string, email: string, promotionCode = 'promo_test_everything'): LocalCheckoutSession {
    const session = this.sessionOrThrow(sessionId);
    return Object.assign(session, {
      status: 'complete',
      payment_status: 'no_payment_required',
      amount_total: 0,
      total_details: { amount_discount: session.amount_subtotal, amount_shipping: 0, amount_tax: 0 },
      discounts: [{ coupon: 'coupon_test_free', promotion_code: promotionCode }],
      customer_details: { email },
      payment_intent: null,
    });
  }

  /** The charge of a paid session, as `charge.refunded` carries it. */
  charge(session: LocalCheckoutSession, refund: 'full' | 'partial' | 'none' = 'none') {
    const amountRefunded = refund === 'full' ? session.amount_total : refund === 'partial' ? 1000 : 0;
    return {
      id: `ch_${session.payment_intent}`,
      object: 'charge',
      amount: session.amount_total,
      amount_refunded: amountRefunded,
      refunded: refund === 'full',
      currency: session.currency,
      payment_intent: session.payment_intent,
      // Its refunds so far, newest first, as Stripe lists them when the charge carries them.
      refunds: { object: 'list', data: this.refunds.filter((refund) => refund.payment_intent === session.payment_intent).reverse() },
      livemode: false,
    };
  }

  /** A dispute on the charge of a paid session, as `charge.dispute.*` carries it. */
  dispute(session: LocalCheckoutSession, status: 'needs_response' | 'under_review' | 'won' | 'lost') {
    return {
      id: `dp_${session.payment_intent}`,
      object: 'dispute',
      amount: session.amount_total,
      currency: session.currency,
      charge: `ch_${session.payment_intent}`,
      payment_intent: session.payment_intent,
      status,
      livemode: false,
    };
  }

  /** An event Stripe holds (listed by GET /v1/events) without delivering it, as during a webhook outage. */
  event(type: string, object: unknown, options: { eventId?: string; livemode?: boolean } = {}): LocalEvent {
    const event: LocalEvent = {
      id: options.eventId ?? stripeId('evt'),
      object: 'event',
      type,
      api_version: '2026-10-28.endive',
      created: this.nowSeconds(),
      livemode: options.livemode ?? false,
      data: { object: structuredClone(object) },
    };
    this.events.push(event);
    return event;
  }

  /** An event, signed as Stripe signs webhooks. */
  signedEvent(type: string, object: unknown, secret: string, options: { timestamp?: number; eventId?: string; livemode?: boolean } = {}) {
    const event = this.event(type, object, options);
    const body = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: options.timestamp ?? this.nowSeconds() });
    return { event, body, signature };
  }

  /** Signs an event and POSTs it to the site's webhook endpoint, as Stripe delivers it; a refusal is an error. */
  async deliver(type: string, object: unknown): Promise<void> {
    if (!this.webhook) return;
    const signed = this.signedEvent(type, object, this.webhook.secret);
    const delivery = await fetch(this.webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
      body: signed.body,
    });
    if (!delivery.ok) throw new HttpError(502, `The site answered the ${type} webhook with HTTP ${delivery.status}.`, 'Webhook delivery failed');
  }

  /** Refunded in full (a partial refund leaves the payment open to more refunds and to disputes). */
  private isRefunded(session: LocalCheckoutSession): boolean {
    return session.payment_intent !== null && this.refundedAmount(session) >= session.amount_total;
  }

  /** A paid, not yet refunded or disputed payment of a session: what a refund or dispute may act on. */
  private openPayment(sessionId: string): LocalCheckoutSession {
    const session = this.sessionOrThrow(sessionId);
    if (!session.payment_intent) throw new HttpError(409, 'Nothing was paid in this checkout, so there is nothing to refund or dispute.', 'Nothing to undo');
    if (this.isRefunded(session)) throw new HttpError(409, 'This payment is already refunded.', 'Already refunded');
    if (this.disputed.has(session.payment_intent)) throw new HttpError(409, 'This payment is already disputed.', 'Already disputed');
    return session;
  }

  /**
   * A full refund, and its `charge.refunded` event delivered. Stripe would deliver again until the site
   * takes it; here nothing retries, so a refused delivery undoes the refund: the payments page never says
   * "access revoked" while the buyer still reads, and the button can be pressed again.
   */
  async refundPayment(sessionId: string): Promise<void> {
    const session = this.openPayment(sessionId);
    const [, refund] = this.refund({ payment_intent: session.payment_intent!, reason: 'requested_by_customer' });
    try {
      await this.deliver('charge.refunded', this.charge(session, 'full'));
    } catch (error) {
      this.refunds.splice(this.refunds.indexOf(refund as LocalRefund), 1);
      throw error;
    }
  }

  /** The buyer's bank opens a dispute: `charge.dispute.created` delivered (undone if the site refuses it, as a refund is). */
  async openDispute(sessionId: string): Promise<void> {
    const session = this.openPayment(sessionId);
    this.disputed.add(session.payment_intent!);
    try {
      await this.deliver('charge.dispute.created', this.dispute(session, 'needs_response'));
    } catch (error) {
      this.disputed.delete(session.payment_intent!);
      throw error;
    }
  }

  /** Completed checkouts, newest first, as the test payments page lists them. */
  payments() {
    return [...this.sessions.values()]
      .filter((session) => session.status === 'complete')
      .reverse()
      .map((session) => {
        const state = !session.payment_intent
          ? 'free'
          : this.isRefunded(session)
            ? 'refunded'
            : this.disputed.has(session.payment_intent)
              ? 'disputed'
              : 'paid';
        return { session, product: this.productOf(session.id), state, open: state === 'paid' };
      });
  }
}
