import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { WEBHOOK_SECRET, expectStatus, postWebhook, startCheckout, startWarren, type Warren } from './support/harness.ts';
import { deliver, paidSession, standing } from './support/payments.ts';

const ADMIN = 'publisher@example.com';

describe('The Stripe payment lifecycle through webhooks', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
  });
  afterAll(() => warren.close());

  const completed = async (email: string) => {
    const session = await paidSession(warren, email);
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    return session;
  };
  const mailTo = async (email: string) => {
    await warren.deliverMail();
    return warren.inbox.to(email);
  };

  it('When a purchase is fulfilled, then each admin gets one sale notice, however often the event is replayed', async () => {
    const session = await completed('sale.notice@example.com');
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    const notices = (await mailTo(ADMIN)).filter((mail) => mail.subject?.startsWith('New sale:'));
    expect(notices).toHaveLength(1);
    expect(notices[0].text).toContain('sale.notice@example.com');
    expect(notices[0].subject).toBe('New sale: The Decode Singularity ($75 CAD)');
  });

  it('When a delayed payment completes unpaid, then nothing is granted until async_payment_succeeded arrives', async () => {
    const session = await paidSession(warren, 'delayed@example.com');
    session.payment_status = 'unpaid';
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    expect(await standing(warren, 'delayed@example.com')).toEqual({ entitlement: null, purchases: [] });
    expect(await warren.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: session.id } })).toMatchObject({ status: 'awaiting_payment' });

    session.payment_status = 'paid';
    await deliver(warren, 'checkout.session.async_payment_succeeded', session).expect(200);
    expect(await standing(warren, 'delayed@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
    expect(await mailTo('delayed@example.com')).toHaveLength(1);
  });

  it('When a delayed payment fails, then the attempt is marked failed and nothing is granted', async () => {
    const session = await paidSession(warren, 'bounced@example.com');
    session.payment_status = 'unpaid';
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    await deliver(warren, 'checkout.session.async_payment_failed', session).expect(200);
    expect(await warren.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: session.id } })).toMatchObject({ status: 'failed' });
    expect(await standing(warren, 'bounced@example.com')).toEqual({ entitlement: null, purchases: [] });
  });

  it('When a Checkout Session expires unpaid, then its attempt is marked expired', async () => {
    expectStatus(await startCheckout(request.agent(warren.app)), 303);
    const session = [...warren.stripe.sessions.values()].at(-1)!;
    session.status = 'expired';
    await deliver(warren, 'checkout.session.expired', session).expect(200);
    expect(await warren.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: session.id } })).toMatchObject({ status: 'expired' });
  });

  it('When a charge is fully refunded, then access is revoked and the purchase shows refunded', async () => {
    const session = await completed('refunded@example.com');
    await deliver(warren, 'charge.refunded', warren.stripe.charge(session, 'full')).expect(200);
    expect(await standing(warren, 'refunded@example.com')).toEqual({ entitlement: 'revoked', purchases: ['refunded'] });
  });

  it('When a charge is partly refunded, then access stays', async () => {
    const session = await completed('partial@example.com');
    await deliver(warren, 'charge.refunded', warren.stripe.charge(session, 'partial')).expect(200);
    expect(await standing(warren, 'partial@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
  });

  it('When a dispute opens, then access is suspended; when it is won, access is restored', async () => {
    const session = await completed('won@example.com');
    await deliver(warren, 'charge.dispute.created', warren.stripe.dispute(session, 'needs_response')).expect(200);
    expect(await standing(warren, 'won@example.com')).toEqual({ entitlement: 'suspended', purchases: ['disputed'] });
    await deliver(warren, 'charge.dispute.closed', warren.stripe.dispute(session, 'won')).expect(200);
    expect(await standing(warren, 'won@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
  });

  it('When a dispute is lost, then access is revoked', async () => {
    const session = await completed('lost@example.com');
    await deliver(warren, 'charge.dispute.created', warren.stripe.dispute(session, 'needs_response')).expect(200);
    await deliver(warren, 'charge.dispute.closed', warren.stripe.dispute(session, 'lost')).expect(200);
    expect(await standing(warren, 'lost@example.com')).toEqual({ entitlement: 'revoked', purchases: ['dispute_lost'] });
  });

  it('When the refund arrives before the completion it refers to, then the buyer ends without access', async () => {
    const session = await paidSession(warren, 'early-refund@example.com');
    await deliver(warren, 'charge.refunded', warren.stripe.charge(session, 'full')).expect(200);
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    expect(await standing(warren, 'early-refund@example.com')).toEqual({ entitlement: 'revoked', purchases: ['refunded'] });
  });

  it('When the completion and its full refund arrive at the same moment, then the buyer ends without access', async () => {
    const session = await paidSession(warren, 'simultaneous@example.com');
    const [completion, refund] = await Promise.all([
      deliver(warren, 'checkout.session.completed', session),
      deliver(warren, 'charge.refunded', warren.stripe.charge(session, 'full')),
    ]);
    expect([completion.status, refund.status]).toEqual([200, 200]);
    expect(await standing(warren, 'simultaneous@example.com')).toEqual({ entitlement: 'revoked', purchases: ['refunded'] });
  });

  it('When a dispute closes as lost before its "created" event arrives, then the late event does not reopen it', async () => {
    const session = await completed('late-dispute@example.com');
    await deliver(warren, 'charge.dispute.closed', warren.stripe.dispute(session, 'lost')).expect(200);
    await deliver(warren, 'charge.dispute.created', warren.stripe.dispute(session, 'needs_response')).expect(200);
    expect(await standing(warren, 'late-dispute@example.com')).toEqual({ entitlement: 'revoked', purchases: ['dispute_lost'] });
  });

  it('When the same event is delivered many times at once, then one purchase, one e-mail and one stored event result', async () => {
    const session = await paidSession(warren, 'concurrent@example.com');
    const signed = warren.stripe.signedEvent('checkout.session.completed', session, WEBHOOK_SECRET);
    const answers = await Promise.all(Array.from({ length: 5 }, () => postWebhook(warren, signed)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await warren.db.purchase.count({ where: { checkoutSessionId: session.id } })).toBe(1);
    expect(await warren.db.stripeEvent.count({ where: { id: signed.event.id } })).toBe(1);
    expect(await mailTo('concurrent@example.com')).toHaveLength(1);
  });

  it('When a refund event is redelivered after access was given back by an admin grant, then it changes nothing twice', async () => {
    const session = await completed('replay@example.com');
    const signed = warren.stripe.signedEvent('charge.refunded', warren.stripe.charge(session, 'full'), WEBHOOK_SECRET);
    await postWebhook(warren, signed).expect(200);
    const user = await warren.db.user.findUniqueOrThrow({ where: { email: 'replay@example.com' } });
    await warren.db.entitlement.updateMany({ where: { userId: user.id }, data: { status: 'active', source: 'grant', purchaseId: null } });
    await postWebhook(warren, signed).expect(200);
    expect(await standing(warren, 'replay@example.com')).toEqual({ entitlement: 'active', purchases: ['refunded'] });
  });

  it('When an unknown event type arrives, then it is recorded and answered 200', async () => {
    const signed = warren.stripe.signedEvent('customer.created', { id: 'cus_1', object: 'customer' }, WEBHOOK_SECRET);
    await postWebhook(warren, signed).expect(200);
    expect(await warren.db.stripeEvent.findUniqueOrThrow({ where: { id: signed.event.id } })).toMatchObject({ outcome: 'ignored', type: 'customer.created' });
  });

  it('When the timestamp is stale or the signature made with another secret, then 400 and nothing is stored', async () => {
    const session = await paidSession(warren, 'forged@example.com');
    const stale = warren.stripe.signedEvent('checkout.session.completed', session, WEBHOOK_SECRET, { timestamp: Math.floor(warren.clock.now().getTime() / 1000) - 600 });
    await postWebhook(warren, stale).expect(400);
    const foreign = warren.stripe.signedEvent('checkout.session.completed', session, 'whsec_another_secret');
    await postWebhook(warren, foreign).expect(400);
    expect(await warren.db.stripeEvent.count({ where: { id: { in: [stale.event.id, foreign.event.id] } } })).toBe(0);
    expect(await standing(warren, 'forged@example.com')).toEqual({ entitlement: null, purchases: [] });
  });

  describe('When a paid session does not match what this server created, then it is refused, recorded and the admin alerted', () => {
    const cases: [string, (session: Record<string, any>) => Record<string, any>][] = [
      ['amount', (s) => ({ ...s, amount_subtotal: 100, amount_total: 100 })],
      ['currency', (s) => ({ ...s, currency: 'usd' })],
      ['mode', (s) => ({ ...s, mode: 'subscription' })],
      ['livemode', (s) => ({ ...s, livemode: true })],
      ['thesis', (s) => ({ ...s, metadata: { thesisId: '00000000-0000-4000-8000-000000000000' } })],
      ['origin', (s) => ({ ...s, id: 'cs_test_made_elsewhere' })],
    ];
    for (const [what, tamper] of cases) {
      it(`(${what})`, async () => {
        const email = `mismatch-${what}@example.com`;
        const session = tamper(await paidSession(warren, email));
        await deliver(warren, 'checkout.session.completed', session).expect(200);
        expect(await standing(warren, email)).toEqual({ entitlement: null, purchases: [] });
        const alert = await warren.db.adminAlert.findUniqueOrThrow({ where: { dedupeKey: `checkout-refused:${session.id}` } });
        expect(alert.kind).toBe('checkout session refused');
        const alerts = (await mailTo(ADMIN)).filter((mail) => String(mail.text).includes(session.id));
        expect(alerts).toHaveLength(1);
        expect(alerts[0].subject).toBe('The Rabbit Hole alert: checkout session refused');
        expect(await mailTo(email)).toHaveLength(0);
      });
    }
  });
});
