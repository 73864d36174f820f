import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { reconcileWithStripe } from '../server/checkout/reconcile.ts';
import { createStripeGateway } from '../server/checkout/stripe-gateway.ts';
import { WEBHOOK_SECRET, buyThesis, expectStatus, postWebhook, startWarren, type Warren } from './support/harness.ts';
import { deliver, standing } from './support/payments.ts';
import { ADMIN, signInAdmin } from './support/signals.ts';

/** A Checkout Session paid with a promotion code that takes the whole price (no PaymentIntent). */
async function freeSession(warren: Warren, email: string) {
  const { agent, sessionId } = await buyThesis(warren, email);
  return { agent, session: warren.stripe.payWithFullDiscount(sessionId, email, 'promo_test_press') };
}

describe('100 %-off promotion codes', () => {
  let warren: Warren;
  let noCodes: Warren;
  beforeAll(async () => {
    [warren, noCodes] = await Promise.all([startWarren({ STRIPE_PROMOTION_CODES: 'true', ADMIN_EMAILS: ADMIN }), startWarren()]);
  });
  afterAll(() => Promise.all([warren.close(), noCodes.close()]));

  it('When a session completes with nothing to pay, then it is one purchase with its discount, one receipt, through replays and the success page', async () => {
    const email = 'free@example.com';
    const { agent, session } = await freeSession(warren, email);
    const completion = warren.stripe.signedEvent('checkout.session.completed', session, WEBHOOK_SECRET);
    await postWebhook(warren, completion).expect(200);
    await postWebhook(warren, completion).expect(200);
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    const page = expectStatus(await agent.get(`/checkout/success?session_id=${session.id}`), 200);
    expect(page.text).toContain('Your purchase is confirmed');

    const purchases = await warren.db.purchase.findMany({ where: { checkoutSessionId: session.id } });
    expect(purchases).toHaveLength(1);
    expect(purchases[0]).toMatchObject({ amount: 0, discountAmount: 7500, promotionCode: 'promo_test_press', paymentIntentId: null, status: 'paid' });
    expect(await standing(warren, email)).toEqual({ entitlement: 'active', purchases: ['paid'] });
    expect(await warren.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: session.id } })).toMatchObject({ status: 'fulfilled' });
    await warren.deliverMail();
    expect(warren.inbox.to(email).map((mail) => mail.subject)).toEqual(['Your receipt: The Decode Singularity']);

    // The admin sees what the code took off, on the member's page and in the purchases export.
    const admin = await signInAdmin(warren);
    const member = await warren.db.user.findUniqueOrThrow({ where: { email } });
    expect((await admin.get(`/admin/members/${member.id}`).expect(200)).text).toContain(
      '<td data-label="Amount">$0 CAD <span class="small">($75 CAD off with <code>promo_test_press</code>)</span></td>',
    );
    const csv = (await admin.get('/admin/members/purchases.csv').expect(200)).text.split('\r\n');
    expect(csv[0]).toBe('"id","date","email","thesis","amount","currency","status","checkout_session","payment_intent","discount","promotion_code"');
    expect(csv.find((line) => line.includes(email))).toMatch(/"0\.00","CAD","paid","[^"]+","","75\.00","promo_test_press"$/);
  });

  it('When a full discount arrives on a site that offers no promotion codes, then it is refused and nothing is granted', async () => {
    const email = 'free-uninvited@example.com';
    const { session } = await freeSession(noCodes, email);
    await deliver(noCodes, 'checkout.session.completed', session).expect(200);
    expect(await standing(noCodes, email)).toEqual({ entitlement: null, purchases: [] });
    expect(await noCodes.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: session.id } })).toMatchObject({ status: 'rejected' });
  });

  it('When a "free" session claims a subtotal other than the price, then it is refused', async () => {
    const email = 'free-cheap@example.com';
    const { session } = await freeSession(warren, email);
    await deliver(warren, 'checkout.session.completed', { ...session, amount_subtotal: 100 }).expect(200);
    expect(await standing(warren, email)).toEqual({ entitlement: null, purchases: [] });
    expect(await warren.db.adminAlert.count({ where: { dedupeKey: `checkout-refused:${session.id}` } })).toBe(1);
  });

  it('When the webhook of a free session was never delivered, then reconciliation fulfils it, once', async () => {
    const email = 'free-missed@example.com';
    const { session } = await freeSession(warren, email);
    const reconcile = () =>
      reconcileWithStripe(
        { db: warren.db, clock: warren.clock, logger: pino({ level: 'silent' }), adminEmails: [], stripe: createStripeGateway(warren.config.stripe!, warren.clock) },
        new Date(warren.clock.now().getTime() - 60 * 60 * 1000),
      );
    await reconcile();
    await reconcile();
    expect(await warren.db.purchase.count({ where: { checkoutSessionId: session.id } })).toBe(1);
    expect(await standing(warren, email)).toEqual({ entitlement: 'active', purchases: ['paid'] });
  });
});
