import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_SECRET, buyThesis, postWebhook, startWarren, type Warren } from './support/harness.ts';

describe('Stripe webhooks', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  const paidSession = async (email: string) => {
    const { agent, sessionId } = await buyThesis(warren, email);
    return { agent, session: warren.stripe.sessions.get(sessionId)! };
  };
  const counts = async (sessionId: string, email: string) => {
    await warren.deliverMail();
    return {
      purchases: await warren.db.purchase.count({ where: { checkoutSessionId: sessionId } }),
      mails: warren.inbox.to(email).length,
    };
  };

  it('When checkout.session.completed arrives signed, then the purchase is fulfilled with one receipt', async () => {
    const { session } = await paidSession('hook.one@example.com');
    const res = await postWebhook(warren, warren.stripe.signedEvent('checkout.session.completed', session, WEBHOOK_SECRET));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    expect(await counts(session.id, 'hook.one@example.com')).toEqual({ purchases: 1, mails: 1 });
    expect(await warren.db.entitlement.count({ where: { user: { email: 'hook.one@example.com' } } })).toBe(1);
  });

  it('When the same event is delivered twice, then there is still one purchase and one e-mail', async () => {
    const { session } = await paidSession('hook.two@example.com');
    const signed = warren.stripe.signedEvent('checkout.session.completed', session, WEBHOOK_SECRET);
    await postWebhook(warren, signed).expect(200);
    await postWebhook(warren, signed).expect(200);
    expect(await counts(session.id, 'hook.two@example.com')).toEqual({ purchases: 1, mails: 1 });
  });

  it('When the webhook and the success page race, then one purchase and one e-mail result', async () => {
    const { agent, session } = await paidSession('hook.race@example.com');
    const signed = warren.stripe.signedEvent('checkout.session.completed', session, WEBHOOK_SECRET);
    const [hook, page] = await Promise.all([postWebhook(warren, signed), agent.get(`/checkout/success?session_id=${session.id}`)]);
    expect(hook.status).toBe(200);
    expect(page.status).toBe(200);
    expect(await counts(session.id, 'hook.race@example.com')).toEqual({ purchases: 1, mails: 1 });
  });

  it('When the signature is wrong, missing or made with another secret, then 400 and nothing changes', async () => {
    const { session } = await paidSession('hook.forged@example.com');
    const signed = warren.stripe.signedEvent('checkout.session.completed', session, WEBHOOK_SECRET);
    const forged = warren.stripe.signedEvent('checkout.session.completed', session, 'whsec_someone_else');
    const bad = await postWebhook(warren, { body: signed.body, signature: forged.signature });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'invalid signature' });
    await postWebhook(warren, { body: signed.body, signature: '' }).expect(400);
    await postWebhook(warren, { body: signed.body.replace('"paid"', '"paid" '), signature: signed.signature }).expect(400);
    const stale = warren.stripe.signedEvent('checkout.session.completed', session, WEBHOOK_SECRET, {
      timestamp: Math.floor(warren.clock.now().getTime() / 1000) - 3600,
    });
    await postWebhook(warren, stale).expect(400);
    expect(await counts(session.id, 'hook.forged@example.com')).toEqual({ purchases: 0, mails: 0 });
  });

  it('When a paid session does not match the thesis price, then nothing is granted', async () => {
    const { session } = await paidSession('hook.cheap@example.com');
    const tampered = { ...session, amount_total: 100 };
    await postWebhook(warren, warren.stripe.signedEvent('checkout.session.completed', tampered, WEBHOOK_SECRET)).expect(200);
    expect(await counts(session.id, 'hook.cheap@example.com')).toEqual({ purchases: 0, mails: 0 });
  });

  it('When an event type Warren does not handle arrives, then it is acknowledged with 200', async () => {
    const res = await postWebhook(warren, warren.stripe.signedEvent('customer.created', { id: 'cus_1', object: 'customer' }, WEBHOOK_SECRET));
    expect(res.status).toBe(200);
  });
});
