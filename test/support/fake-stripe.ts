import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import qs from 'qs';
import Stripe from 'stripe';
import { systemClock, type Clock } from '../../server/clock.ts';

/**
 * A local stand-in for the parts of Stripe's API Warren calls. The app talks to it through the real
 * `stripe` SDK (STRIPE_API_BASE), so request encoding, auth headers and error mapping are the SDK's own.
 */
export interface FakeCheckoutSession {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  success_url: string;
  cancel_url: string;
  url: string;
  customer_email: string | null;
  customer_details: { email: string } | null;
  payment_intent: string | null;
  livemode: boolean;
  created: number;
  /** Set when a promotion code applied (payWithFullDiscount). */
  total_details?: { amount_discount: number; amount_shipping: number; amount_tax: number };
  discounts?: { coupon: string; promotion_code: string | null }[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, unknown>;
  idempotencyKey?: string;
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface FakeEvent {
  id: string;
  object: 'event';
  type: string;
  api_version: string;
  created: number;
  livemode: boolean;
  data: { object: unknown };
}

/** A refund made through POST /v1/refunds, as the fake keeps it. */
export interface FakeRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  reason: string | null;
  status: 'succeeded';
  created: number;
}

export class FakeStripe {
  readonly sessions = new Map<string, FakeCheckoutSession>();
  /** Every refund made, once each (a repeated idempotency key answers the first one and adds nothing). */
  readonly refunds: FakeRefund[] = [];
  private readonly idempotentRefunds = new Map<string, FakeRefund>();
  /** How many of the next refund requests answer 500 (Stripe having a bad minute). */
  private failingRefunds = 0;
  readonly requests: RecordedRequest[] = [];
  /** Every event made with signedEvent/event, as Stripe keeps them for GET /v1/events. */
  readonly events: FakeEvent[] = [];
  private readonly idempotent = new Map<string, FakeCheckoutSession>();
  private server!: Server;
  url = '';
  /** Where the hosted checkout page sends checkout.session.completed when the buyer pays. */
  private webhook?: { url: string; secret: string };

  /** Stamps sessions, events and signatures: the clock of the app under test (a server process runs on the system's). */
  constructor(private readonly clock: Clock = systemClock) {}

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  sendWebhooksTo(url: string, secret: string): this {
    this.webhook = { url, secret };
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const body = await readBody(req);
      const [path, query = ''] = (req.url ?? '/').split('?');
      const params = req.method === 'GET' ? qs.parse(query) : qs.parse(body);
      const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
      this.requests.push({ method: req.method ?? 'GET', path, params, idempotencyKey });
      const [status, payload] = this.route(req.method ?? 'GET', path, params as Record<string, any>, idempotencyKey);
      const hosted = /^\/pay\/([^/]+)$/.exec(path);
      if (hosted) return this.hostedCheckout(req.method ?? 'GET', decodeURIComponent(hosted[1]), params as Record<string, any>, res);
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
      res.end(JSON.stringify(payload));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private route(method: string, path: string, params: Record<string, any>, idempotencyKey?: string): [number, unknown] {
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      // Stripe answers a repeated idempotency key with the first result.
      const earlier = idempotencyKey ? this.idempotent.get(idempotencyKey) : undefined;
      const session = earlier ?? this.createSession(params);
      if (idempotencyKey) this.idempotent.set(idempotencyKey, session);
      return [200, session];
    }
    if (method === 'POST' && path === '/v1/refunds') return this.refund(params, idempotencyKey);
    if (method === 'GET' && path === '/v1/refunds') return [200, this.list(path, [...this.refunds].reverse())];
    const since = Number(params.created?.gte ?? 0);
    if (method === 'GET' && path === '/v1/checkout/sessions') {
      return [200, this.list(path, [...this.sessions.values()].filter((s) => s.created >= since).reverse())];
    }
    if (method === 'GET' && path === '/v1/events') {
      const types: string[] | undefined = params.types;
      const events = this.events.filter((e) => e.created >= since && (!types || types.includes(e.type)));
      return [200, this.list(path, [...events].reverse())];
    }
    const match = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) {
      const session = this.sessions.get(decodeURIComponent(match[1]));
      if (session) return [200, session];
      return [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such checkout.session: '${match[1]}'` } }];
    }
    return [404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` } }];
  }

  /** Makes the next `count` refund requests fail with a 500, as an outage would. */
  failNextRefunds(count: number): this {
    this.failingRefunds = count;
    return this;
  }

  /** A full refund of a payment intent: once per idempotency key; refunding a refunded payment is an error, as at Stripe. */
  private refund(params: Record<string, any>, idempotencyKey?: string): [number, unknown] {
    if (this.failingRefunds > 0) {
      this.failingRefunds -= 1;
      return [500, { error: { type: 'api_error', message: 'Something went wrong on our end.' } }];
    }
    const earlier = idempotencyKey ? this.idempotentRefunds.get(idempotencyKey) : undefined;
    if (earlier) return [200, earlier];
    const session = [...this.sessions.values()].find((candidate) => candidate.payment_intent === params.payment_intent);
    if (!session) return [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${params.payment_intent}'` } }];
    if (this.refunds.some((refund) => refund.payment_intent === session.payment_intent)) {
      return [400, { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Charge has already been refunded.' } }];
    }
    const refund: FakeRefund = {
      id: id('re'),
      object: 'refund',
      amount: session.amount_total,
      currency: session.currency,
      payment_intent: session.payment_intent!,
      reason: params.reason ?? null,
      status: 'succeeded',
      created: this.nowSeconds(),
    };
    this.refunds.push(refund);
    if (idempotencyKey) this.idempotentRefunds.set(idempotencyKey, refund);
    return [200, refund];
  }

  private createSession(params: Record<string, any>): FakeCheckoutSession {
    const items: any[] = params.line_items ?? [];
    const session: FakeCheckoutSession = {
      id: id('cs'),
      object: 'checkout.session',
      mode: params.mode,
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: items.reduce((sum, item) => sum + Number(item.price_data.unit_amount) * Number(item.quantity), 0),
      amount_total: items.reduce((sum, item) => sum + Number(item.price_data.unit_amount) * Number(item.quantity), 0),
      currency: items[0]?.price_data?.currency,
      client_reference_id: params.client_reference_id ?? null,
      metadata: params.metadata ?? {},
      success_url: params.success_url,
      cancel_url: params.cancel_url,
      url: '',
      customer_email: params.customer_email ?? null,
      customer_details: null,
      payment_intent: null,
      livemode: false,
      created: this.nowSeconds(),
    };
    session.url = `${this.url}/pay/${session.id}`;
    this.sessions.set(session.id, session);
    return session;
  }

  /**
   * A minimal hosted checkout page (session.url) for browser tests: GET shows the amount and an
   * e-mail field; "Pay" completes the session, delivers the signed webhook, then returns the buyer
   * to the success URL, as Stripe does. Plain HTML form: works with JavaScript disabled.
   */
  private async hostedCheckout(method: string, sessionId: string, form: Record<string, any>, res: ServerResponse): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (!session) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('No such checkout session');
      return;
    }
    if (method === 'POST') {
      this.pay(sessionId, String(form.email ?? 'buyer@example.com'));
      if (this.webhook) {
        const signed = this.signedEvent('checkout.session.completed', session, this.webhook.secret);
        const delivery = await fetch(this.webhook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
          body: signed.body,
        });
        if (!delivery.ok) {
          res.writeHead(502, { 'content-type': 'text/plain' }).end(`Webhook delivery failed: HTTP ${delivery.status}`);
          return;
        }
      }
      res.writeHead(303, { location: session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id) }).end();
      return;
    }
    const price = `${(session.amount_total / 100).toFixed(2)} ${session.currency.toUpperCase()}`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fake Stripe Checkout</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem">
<h1>Pay ${price}</h1>
<form method="post" action="/pay/${session.id}">
  <label for="email">Email</label><br>
  <input id="email" name="email" type="email" required><br><br>
  <button type="submit">Pay</button>
</form>
<p><a href="${session.cancel_url}">Cancel</a></p>
</body></html>`);
  }

  /** What Stripe does when the buyer pays on the hosted page. */
  pay(sessionId: string, email: string): FakeCheckoutSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    Object.assign(session, { status: 'complete', payment_status: 'paid', customer_details: { email }, payment_intent: id('pi') });
    return session;
  }

  private list(url: string, data: unknown[]) {
    return { object: 'list', url, has_more: false, data };
  }

  /**
   * What Stripe does when a promotion code takes the whole price: the session completes with
   * nothing to pay, amount_total 0, no PaymentIntent, and the discount in total_details.
   */
  payWithFullDiscount(sessionId: string, email: string, promotionCode = 'promo_test_everything'): FakeCheckoutSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
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

  /** What Stripe does when the buyer chooses a delayed method (bank debit): complete, not yet paid. */
  payLater(sessionId: string, email: string): FakeCheckoutSession {
    const session = this.pay(sessionId, email);
    session.payment_status = 'unpaid';
    return session;
  }

  /** The charge of a paid session, as `charge.refunded` carries it. */
  charge(session: FakeCheckoutSession, refund: 'full' | 'partial' | 'none' = 'none') {
    const amountRefunded = refund === 'full' ? session.amount_total : refund === 'partial' ? 1000 : 0;
    return {
      id: `ch_${session.payment_intent}`,
      object: 'charge',
      amount: session.amount_total,
      amount_refunded: amountRefunded,
      refunded: refund === 'full',
      currency: session.currency,
      payment_intent: session.payment_intent,
      livemode: false,
    };
  }

  /** A dispute on the charge of a paid session, as `charge.dispute.*` carries it. */
  dispute(session: FakeCheckoutSession, status: 'needs_response' | 'under_review' | 'won' | 'lost') {
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
  event(type: string, object: unknown, options: { eventId?: string; livemode?: boolean } = {}): FakeEvent {
    const event: FakeEvent = {
      id: options.eventId ?? id('evt'),
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

  /** A checkout.session.completed (or other) event, signed as Stripe signs webhooks. */
  signedEvent(type: string, object: unknown, secret: string, options: { timestamp?: number; eventId?: string; livemode?: boolean } = {}) {
    const event = this.event(type, object, options);
    const body = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: options.timestamp ?? this.nowSeconds() });
    return { event, body, signature };
  }

  sessionCreations(): RecordedRequest[] {
    return this.requests.filter((request) => request.method === 'POST' && request.path === '/v1/checkout/sessions');
  }
}
