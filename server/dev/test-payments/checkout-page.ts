import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import Handlebars from 'handlebars';
import { z } from 'zod';
import { REPO_ROOT } from '../../paths.ts';
import { HttpError } from '../../http/errors.ts';
import { formatPrice } from '../../http/money.ts';
import type { LocalCheckoutSession } from './stripe-objects.ts';

/** Stripe's own test card numbers, so what a newcomer learns here holds on Stripe's test mode too. */
const TEST_CARDS = new Map([
  ['4242424242424242', { number: '4242 4242 4242 4242', outcome: 'pays', declines: false }],
  ['4000000000000002', { number: '4000 0000 0000 0002', outcome: 'is declined', declines: true }],
]);
const PAYING_CARD = '4242424242424242';

/** The one promotion code test payments know: it takes the whole price, as a 100 %-off Stripe code does. */
export const FULL_DISCOUNT_CODE = 'FREE100';
const FULL_DISCOUNT_PROMOTION = 'promo_test_free100';

/** What the hosted page needs of the local Stripe (local-stripe.ts). */
export interface CheckoutPageHost {
  readonly sessions: ReadonlyMap<string, LocalCheckoutSession>;
  productOf(sessionId: string): string;
  pay(sessionId: string, email: string): LocalCheckoutSession;
  payWithFullDiscount(sessionId: string, email: string, promotionCode: string): LocalCheckoutSession;
  deliver(type: string, object: unknown): Promise<void>;
}

type Form = Record<string, unknown>;
type Payment = { email: string; fullDiscount: boolean } | { status: number; error: string };

const emailAddress = z.email().max(254);
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
/** The card number chosen, spaces removed; a form without one (the tests' quick POST) pays. */
const cardOf = (form: Form) => (form.card === undefined ? PAYING_CARD : text(form.card).replace(/\s/g, ''));

let template: Handlebars.TemplateDelegate | undefined;
function page(view: object): string {
  template ??= Handlebars.compile(readFileSync(path.join(REPO_ROOT, 'views', 'dev', 'test-checkout.hbs'), 'utf8'));
  return template(view);
}

function send(res: ServerResponse, status: number, view: object): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page(view));
}

/** Checks the form as Stripe's page would; a declined card and an unknown code are refusals that change nothing. */
function readPayment(session: LocalCheckoutSession, form: Form): Payment {
  const email = session.customer_email ?? text(form.email);
  if (!emailAddress.safeParse(email).success) return { status: 400, error: 'Enter the e-mail address the receipt goes to.' };
  const testCard = TEST_CARDS.get(cardOf(form));
  if (!testCard) return { status: 400, error: 'Choose one of the test cards below.' };
  const code = text(form.promotionCode);
  if (code && !session.allow_promotion_codes) return { status: 400, error: 'This checkout takes no promotion codes.' };
  if (code && code.toUpperCase() !== FULL_DISCOUNT_CODE) {
    return { status: 400, error: `There is no promotion code "${code}". In test mode, ${FULL_DISCOUNT_CODE} takes 100 % off.` };
  }
  if (!code && testCard.declines) {
    return { status: 402, error: `Your card was declined. (The test card ${testCard.number} always is; nothing was charged.)` };
  }
  return { email, fullDiscount: Boolean(code) };
}

function checkoutView(host: CheckoutPageHost, session: LocalCheckoutSession, form: Form = {}, error?: string) {
  const chosen = cardOf(form);
  return {
    id: session.id,
    product: host.productOf(session.id),
    price: formatPrice(session.amount_total, session.currency),
    email: session.customer_email ?? text(form.email),
    emailLocked: Boolean(session.customer_email),
    cards: [...TEST_CARDS].map(([value, card]) => ({ value, ...card, checked: value === chosen })),
    promotionCodes: session.allow_promotion_codes,
    promotionCode: text(form.promotionCode),
    fullDiscountCode: FULL_DISCOUNT_CODE,
    cancelUrl: session.cancel_url,
    error,
  };
}

/**
 * The hosted checkout page (session.url): GET shows the amount, an e-mail field, the test cards and,
 * when the session allows them, a promotion code field. Paying completes the session, delivers the
 * signed `checkout.session.completed`, then returns the buyer to the success URL, as Stripe does.
 * A plain HTML form: works with JavaScript disabled.
 */
export async function answerCheckoutPage(host: CheckoutPageHost, method: string, sessionId: string, form: Form, res: ServerResponse): Promise<void> {
  const session = host.sessions.get(sessionId);
  if (!session) return send(res, 404, { closed: 'There is no such test checkout.' });
  if (session.status !== 'open') return send(res, 409, { closed: 'This checkout is already complete.', cancelUrl: session.cancel_url });
  if (method !== 'POST') return send(res, 200, checkoutView(host, session));
  const payment = readPayment(session, form);
  if ('error' in payment) return send(res, payment.status, checkoutView(host, session, form, payment.error));
  const open = { ...session };
  const paid = payment.fullDiscount
    ? host.payWithFullDiscount(session.id, payment.email, FULL_DISCOUNT_PROMOTION)
    : host.pay(session.id, payment.email);
  try {
    await host.deliver('checkout.session.completed', paid);
  } catch (error) {
    // Stripe would deliver again until the site takes it; nothing retries here, so the checkout opens
    // again rather than stay paid with no purchase behind it: the buyer can pay once the site answers.
    for (const key of Object.keys(session)) if (!(key in open)) delete (session as unknown as Record<string, unknown>)[key];
    Object.assign(session, open);
    if (!(error instanceof HttpError)) throw error;
    return send(res, error.status, { closed: `${error.message} Nothing was charged: try again.`, cancelUrl: session.cancel_url });
  }
  res.writeHead(303, { location: paid.success_url.replace('{CHECKOUT_SESSION_ID}', paid.id) }).end();
}
