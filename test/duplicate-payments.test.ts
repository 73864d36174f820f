import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import pino from 'pino';
import { refundDuplicatePayments } from '../server/checkout/duplicate-refunds.ts';
import { reconcileWithStripe } from '../server/checkout/reconcile.ts';
import { createStripeGateway } from '../server/checkout/stripe-gateway.ts';
import { APP_URL, DEMO_SLUG, WEBHOOK_SECRET, buyThesis, expectStatus, postWebhook, startWarren, submitForm, type Warren } from './support/harness.ts';
import { deliver, paidSession, standing } from './support/payments.ts';

const ALREADY = 'You already have The Decode Singularity: your payment is refunded';

describe('Paying again for a thesis one already has', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  const deps = () => ({ db: warren.db, clock: warren.clock, logger: pino({ level: 'silent' }), stripe: createStripeGateway(warren.config.stripe!, warren.clock) });
  const refundsOf = (paymentIntent: string) => warren.stripe.refunds.filter((refund) => refund.payment_intent === paymentIntent);
  const member = async (email: string) => {
    const first = await paidSession(warren, email);
    await deliver(warren, 'checkout.session.completed', first).expect(200);
    return first;
  };

  it('When a member pays again signed out, then no second purchase: the payment is refunded once through Stripe and the buyer told, with a sign-in link', async () => {
    const email = 'twice@example.com';
    const first = await member(email);
    const { agent, sessionId } = await buyThesis(warren, email);
    const second = warren.stripe.sessions.get(sessionId)!;
    const completion = warren.stripe.signedEvent('checkout.session.completed', second, WEBHOOK_SECRET);
    await postWebhook(warren, completion).expect(200);
    await postWebhook(warren, completion).expect(200);

    const page = expectStatus(await agent.get(`/checkout/success?session_id=${second.id}`), 200);
    // The page says no more than for any purchase by an existing account: the payer may not own the address.
    expect(page.text.replace(/\s+/g, ' ')).toContain('if that address could already read this thesis, word that this payment is refunded');
    expect(page.text).not.toContain('You already have');
    expect(String(page.headers['set-cookie'] ?? '')).not.toContain('warren_session=');
    expect(await standing(warren, email)).toEqual({ entitlement: 'active', purchases: ['paid'] });
    expect(await warren.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: second.id } })).toMatchObject({ status: 'duplicate' });

    expect(await refundDuplicatePayments(deps())).toBe(1);
    expect(await refundDuplicatePayments(deps())).toBe(0);
    const refunds = refundsOf(second.payment_intent!);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amount: 7500, reason: 'duplicate' });
    expect(refundsOf(first.payment_intent!)).toHaveLength(0);
    expect(await warren.db.duplicateRefund.findUniqueOrThrow({ where: { checkoutSessionId: second.id } })).toMatchObject({ status: 'refunded', refundId: refunds[0].id });

    // Stripe then reports the refund it made: the first purchase is untouched.
    await deliver(warren, 'charge.refunded', warren.stripe.charge(second, 'full')).expect(200);
    expect(await standing(warren, email)).toEqual({ entitlement: 'active', purchases: ['paid'] });

    await warren.deliverMail();
    const told = warren.inbox.to(email).filter((mail) => mail.subject === ALREADY);
    expect(told).toHaveLength(1);
    expect(told[0].text).toContain('$75 CAD');
    const link = warren.inbox.latestLink(email, APP_URL);
    const reader = request.agent(warren.app);
    const token = new URL(link, APP_URL).searchParams.get('token')!;
    expectStatus(await submitForm(reader, link, '/login/verify', { token }), 303);
    expect((await reader.get(`/theses/${DEMO_SLUG}`).expect(200)).text).toContain('id="members-layer"');
  });

  it('When the first purchase is refunded later, then a replayed duplicate is still no purchase and is not refunded twice', async () => {
    const email = 'twice-then-refunded@example.com';
    const first = await member(email);
    const second = await paidSession(warren, email);
    await deliver(warren, 'checkout.session.completed', second).expect(200);
    await refundDuplicatePayments(deps());
    await deliver(warren, 'charge.refunded', warren.stripe.charge(first, 'full')).expect(200);
    await deliver(warren, 'checkout.session.completed', second).expect(200);
    await refundDuplicatePayments(deps());
    expect(await standing(warren, email)).toEqual({ entitlement: 'revoked', purchases: ['refunded'] });
    expect(refundsOf(second.payment_intent!)).toHaveLength(1);
  });

  it('When the refund API fails, then the refund waits for its backoff, and reconciliation finishes it once', async () => {
    const email = 'twice-stripe-down@example.com';
    await member(email);
    const second = await paidSession(warren, email);
    await deliver(warren, 'checkout.session.completed', second).expect(200);
    // The SDK retries twice itself: three failures make one failed attempt.
    warren.stripe.failNextRefunds(3);
    expect(await refundDuplicatePayments(deps())).toBe(0);
    const pending = await warren.db.duplicateRefund.findUniqueOrThrow({ where: { checkoutSessionId: second.id } });
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending.lastError).toBeTruthy();
    expect(pending.nextAttemptAt.getTime()).toBeGreaterThan(warren.clock.now().getTime());
    expect(await refundDuplicatePayments(deps())).toBe(0);

    const report = await reconcileWithStripe({ ...deps(), adminEmails: [] }, new Date(warren.clock.now().getTime() - 60 * 60 * 1000));
    expect(report.duplicatesRefunded).toBe(1);
    expect(refundsOf(second.payment_intent!)).toHaveLength(1);
    expect(await warren.db.duplicateRefund.findUniqueOrThrow({ where: { checkoutSessionId: second.id } })).toMatchObject({ status: 'refunded' });
  });
});
