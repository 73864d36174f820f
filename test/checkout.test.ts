import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { demoThesis } from '../server/publishing/demo-thesis.ts';
import { APP_URL, ATTESTED, DEMO_SLUG, buyThesis, startCheckout, startWarren, expectStatus, type Warren } from './support/harness.ts';

describe('Buying a thesis through Stripe Checkout', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  it('When the buy button is pressed, then a Checkout Session priced from the thesis is created and the visitor is sent to it', async () => {
    const thesis = await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
    // A tampered form cannot change the price: the amount comes from the thesis record.
    const res = await startCheckout(request.agent(warren.app), DEMO_SLUG, { ...ATTESTED, amount: '1', currency: 'usd' });
    expect(res.status).toBe(303);
    const created = warren.stripe.sessionCreations().at(-1)!;
    const params = created.params as any;
    expect(params.mode).toBe('payment');
    expect(params.line_items[0].price_data).toMatchObject({ currency: 'cad', unit_amount: '7500' });
    expect(params.metadata.thesisId).toBe(thesis.id);
    expect(params.success_url).toBe(`${APP_URL}/checkout/success?session_id={CHECKOUT_SESSION_ID}`);
    expect(params.cancel_url).toBe(`${APP_URL}/theses/${DEMO_SLUG}`);
    const session = [...warren.stripe.sessions.values()].at(-1)!;
    expect(res.headers.location).toBe(session.url);
  });

  it('When a buyer returns from a paid checkout, then they are signed in at once and read the members\' layer', async () => {
    const { agent, sessionId } = await buyThesis(warren, 'Reader.One@Example.com ');
    const success = await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    expect(success.text).toContain('Read the members');
    expect(success.headers['set-cookie'] + '').toMatch(/warren_session=.+HttpOnly/i);

    const page = await agent.get(`/theses/${DEMO_SLUG}`).expect(200);
    expect(page.text).toContain('id="members-layer"');
    for (const section of demoThesis.memberSections) expect(page.text).toContain(section.body.slice(0, 40));
    expect(page.headers['cache-control']).toBe('private, no-store');

    const user = await warren.db.user.findUniqueOrThrow({ where: { email: 'reader.one@example.com' } });
    const purchases = await warren.db.purchase.findMany({ where: { checkoutSessionId: sessionId } });
    expect(purchases).toHaveLength(1);
    expect(purchases[0]).toMatchObject({ userId: user.id, amount: 7500, currency: 'cad' });
    expect(await warren.db.entitlement.count({ where: { userId: user.id } })).toBe(1);

    await warren.deliverMail();
    const mail = warren.inbox.to('reader.one@example.com');
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe(`Your receipt: ${demoThesis.title}`);
    expect(mail[0].text).toContain('$75 CAD');
    expect(mail[0].text).toMatch(new RegExp(`${APP_URL}/login/verify\\?token=`));
    expect(mail[0].html).toContain('Sign in and read');
  });

  it('When the success URL is opened again elsewhere, then it does not sign that browser in', async () => {
    const { agent, sessionId } = await buyThesis(warren, 'reader.two@example.com');
    await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    const stranger = await request(warren.app).get(`/checkout/success?session_id=${sessionId}`).expect(200);
    expect(stranger.headers['set-cookie']).toBeUndefined();
    expect(stranger.text).toContain('ask for a new one');
    expect(await warren.db.purchase.count({ where: { checkoutSessionId: sessionId } })).toBe(1);
  });

  it('When the session is not paid yet, then the page says so and nothing is recorded', async () => {
    expectStatus(await startCheckout(request.agent(warren.app)), 303);
    const session = [...warren.stripe.sessions.values()].at(-1)!;
    const res = await request(warren.app).get(`/checkout/success?session_id=${session.id}`).expect(200);
    expect(res.text).toContain('processing');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await warren.db.purchase.count({ where: { checkoutSessionId: session.id } })).toBe(0);
  });

  it('When the session id is malformed or unknown, then a clear error page answers', async () => {
    const malformed = await request(warren.app).get('/checkout/success?session_id=<script>').expect(400);
    expect(malformed.text).toContain('This checkout link is not valid.');
    await request(warren.app).get('/checkout/success?session_id[]=cs_test_1').expect(400);
    const unknown = await request(warren.app).get('/checkout/success?session_id=cs_test_doesnotexist').expect(404);
    expect(unknown.text).toContain('could not find that checkout');
  });

  it('When a buyer of one thesis opens another, then they get the paywall there', async () => {
    const other = await warren.db.thesis.create({
      data: {
        slug: 'second-thesis', series: 'S', subject: 'Other Co', title: 'Second thesis', tagline: 't', priceAmount: 7500,
        publicBody: '## Public', publishedAt: warren.clock.now(), createdAt: warren.clock.now(), updatedAt: warren.clock.now(),
        memberSections: { create: [{ position: 0, title: 'Position sizing', summary: 's', body: 'Second thesis secret sizing text' }] },
      },
    });
    const { agent, sessionId } = await buyThesis(warren, 'reader.three@example.com');
    await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    const page = await agent.get(`/theses/${other.slug}`).expect(200);
    expect(page.text).toContain('id="paywall"');
    expect(page.text).not.toContain('Second thesis secret sizing text');
  });
});

describe('A site without Stripe keys, test payments switched off', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, TEST_PAYMENTS: 'false' });
  });
  afterAll(() => warren.close());

  it('When a visitor reads a thesis, then the buy button is replaced by an explanation, and buying answers 503', async () => {
    const page = await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200);
    expect(page.text).toContain('Payments are not configured');
    expect(page.text).not.toContain('/buy"');
    const res = await request(warren.app).get(`/theses/${DEMO_SLUG}/buy`).expect(503);
    expect(res.text).toContain('Payments are not configured');
    expect(warren.stripe.requests).toHaveLength(0);
  });
});
