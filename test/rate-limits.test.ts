import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { SIGN_IN_MAIL_INTERVAL_MS } from '../server/accounts/sign-in-request.ts';
import { DEMO_SLUG, WEBHOOK_SECRET, csrfToken, expectStatus, postWebhook, startCheckout, startWarren, type Warren } from './support/harness.ts';

/** Each test gets a fresh app, so each starts with empty counters. */
describe('Rate limits', () => {
  let warren: Warren;
  beforeEach(async () => {
    warren = await startWarren();
  });
  afterEach(() => warren.close());

  const formAgent = async () => {
    const agent = request.agent(warren.app);
    const _csrf = csrfToken((await agent.get('/login')).text);
    return { agent, _csrf };
  };

  it('When one address asks for more than 10 sign-in links in an hour, then 429 with a clear page, and no more mail is queued', async () => {
    await warren.db.user.create({ data: { email: 'flooded@example.com', createdAt: warren.clock.now() } });
    const { agent, _csrf } = await formAgent();
    for (let i = 0; i < 10; i++) {
      await agent.post('/login').type('form').send({ email: 'Flooded@Example.com', _csrf }).expect(200);
      warren.clock.advance(SIGN_IN_MAIL_INTERVAL_MS); // past the one-per-minute limit, well within the hour
    }
    const queued = await warren.db.outboxMessage.count();
    const limited = await agent.post('/login').type('form').send({ email: 'flooded@example.com ', _csrf }).expect(429);
    expect(limited.text).toContain('Too many sign-in links were asked for this address');
    expect(await warren.db.outboxMessage.count()).toBe(queued);
  });

  it('When one IP asks for more than 30 sign-in links, whatever the addresses, then 429', async () => {
    const { agent, _csrf } = await formAgent();
    for (let i = 0; i < 30; i++) await agent.post('/login').type('form').send({ email: `probe${i}@example.com`, _csrf }).expect(200);
    await agent.post('/login').type('form').send({ email: 'probe-last@example.com', _csrf }).expect(429);
  });

  it('When one IP tries more than 20 one-time codes, then 429', async () => {
    const { agent, _csrf } = await formAgent();
    for (let i = 0; i < 20; i++) await agent.post('/login/code').type('form').send({ email: 'x@example.com', code: 'ABCD-EFGH', _csrf }).expect(400);
    await agent.post('/login/code').type('form').send({ email: 'x@example.com', code: 'ABCD-EFGH', _csrf }).expect(429);
  });

  it('When one IP starts more than 30 checkouts, then 429 and Stripe is not called again', async () => {
    const agent = request.agent(warren.app);
    for (let i = 0; i < 30; i++) expectStatus(await startCheckout(agent), 303);
    const created = warren.stripe.sessionCreations().length;
    const limited = expectStatus(await startCheckout(agent), 429);
    expect(limited.text).toContain('Too many checkouts');
    expect(warren.stripe.sessionCreations()).toHaveLength(created);
    await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200);
  });

  it('When the webhook gets more than 50 bad signatures from one IP, then 429; good deliveries never count', async () => {
    const good = () => postWebhook(warren, warren.stripe.signedEvent('customer.created', { id: 'cus_1' }, WEBHOOK_SECRET));
    for (let i = 0; i < 60; i++) await good().expect(200);
    const bad = () => postWebhook(warren, warren.stripe.signedEvent('customer.created', { id: 'cus_1' }, 'whsec_wrong'));
    for (let i = 0; i < 50; i++) await bad().expect(400);
    const limited = await bad().expect(429);
    expect(limited.body).toEqual({ error: 'too many invalid webhook deliveries' });
    // The refused IP is still Stripe's: its genuine deliveries go through, all at once too.
    const burst = await Promise.all(Array.from({ length: 60 }, () => good()));
    expect(burst.map((res) => res.status)).toEqual(Array(60).fill(200));
  });
});
