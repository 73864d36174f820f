import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWarren, type Warren } from './support/harness.ts';
import { deliver, paidSession, standing } from './support/payments.ts';

describe("Webhook events whose livemode does not match the key's mode", () => {
  let testSite: Warren;
  let liveSite: Warren;
  beforeAll(async () => {
    [testSite, liveSite] = await Promise.all([startWarren(), startWarren({ STRIPE_SECRET_KEY: 'sk_live_warren' })]);
  });
  afterAll(() => Promise.all([testSite.close(), liveSite.close()]));

  const storedEvents = (warren: Warren) => warren.db.stripeEvent.count();

  it('When a live event reaches a site with a test key, then 400, nothing stored and nothing granted', async () => {
    const session = await paidSession(testSite, 'live-on-test@example.com');
    const before = await storedEvents(testSite);
    const res = await deliver(testSite, 'checkout.session.completed', session, { livemode: true }).expect(400);
    expect(res.body).toEqual({ error: 'event livemode does not match this site' });
    expect(await storedEvents(testSite)).toBe(before);
    expect(await standing(testSite, 'live-on-test@example.com')).toEqual({ entitlement: null, purchases: [] });
    // The same session in the key's mode is a sale: only the mode was wrong.
    await deliver(testSite, 'checkout.session.completed', session).expect(200);
    expect(await standing(testSite, 'live-on-test@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
  });

  it('When a test event reaches a site with a live key, then 400 and nothing stored, a refund included', async () => {
    const before = await storedEvents(liveSite);
    await deliver(liveSite, 'charge.refunded', { id: 'ch_1', object: 'charge', refunded: true, payment_intent: 'pi_1', livemode: false }).expect(400);
    await deliver(liveSite, 'customer.created', { id: 'cus_1', object: 'customer' }).expect(400);
    expect(await storedEvents(liveSite)).toBe(before);
    expect(await liveSite.db.paymentState.count()).toBe(0);
  });
});
