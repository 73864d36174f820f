import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ATTESTATION, ATTESTATION_TEXT } from '../server/checkout/attestation.ts';
import { ATTESTED, DEMO_SLUG, buyThesis, csrfToken, expectStatus, signInByEmail, startCheckout, startWarren, type Warren } from './support/harness.ts';

describe('The buy page and Checkout Session creation', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ STRIPE_AUTOMATIC_TAX: 'true', STRIPE_PROMOTION_CODES: 'true' });
  });
  afterAll(() => warren.close());

  const lastCreation = () => warren.stripe.sessionCreations().at(-1)!;

  it('When the buy page opens, then it asks for the three confirmations, without caching', async () => {
    const page = await request(warren.app).get(`/theses/${DEMO_SLUG}/buy`).expect(200);
    for (const statement of [ATTESTATION.qualifiedInvestor, ATTESTATION.terms, ATTESTATION.notAdvice]) expect(page.text).toContain(statement);
    expect(page.headers['cache-control']).toBe('private, no-store');
  });

  it('When a confirmation is missing, then the page says so, 400, and Stripe is not called', async () => {
    const before = warren.stripe.sessionCreations().length;
    const res = expectStatus(await startCheckout(request.agent(warren.app), DEMO_SLUG, { qualifiedInvestor: 'yes', acceptTerms: 'yes' }), 400);
    expect(res.text).toContain('Please confirm all three statements');
    expect(warren.stripe.sessionCreations()).toHaveLength(before);
    expect(await warren.db.checkoutAttempt.count()).toBe(0);
    // The missing box is marked at the field, with its message beside it; the ticked ones stay ticked.
    expect(res.text).toMatch(/<input type="checkbox" id="confirm-notAdvice" name="notAdvice" value="yes" required aria-invalid="true" aria-describedby="confirm-notAdvice-error">/);
    expect(res.text).toContain('<p class="field-error" id="confirm-notAdvice-error">Tick this box to continue.</p>');
    for (const name of ['qualifiedInvestor', 'acceptTerms']) {
      expect(res.text).toContain(`name="${name}" value="yes" required checked>`);
      expect(res.text).not.toContain(`confirm-${name}-error`);
    }
  });

  it('When all boxes are ticked but the form nonce was altered, then 400, no box is marked and the boxes stay ticked', async () => {
    const agent = request.agent(warren.app);
    const page = await agent.get(`/theses/${DEMO_SLUG}/buy`).expect(200);
    const res = expectStatus(await agent.post(`/theses/${DEMO_SLUG}/checkout`).type('form').send({ ...ATTESTED, attempt: 'not-a-uuid', _csrf: csrfToken(page.text) }), 400);
    expect(res.text).toContain('This form could not be used.');
    expect(res.text).not.toContain('aria-invalid');
    expect(res.text.match(/required checked>/g)).toHaveLength(3);
    expect(await warren.db.checkoutAttempt.count()).toBe(0);
  });

  it('When the buy page opens, then an order summary names the thesis, its price, one-time, the tax note and that payment is on Stripe', async () => {
    const page = (await request(warren.app).get(`/theses/${DEMO_SLUG}/buy`).expect(200)).text;
    const summary = /<section class="order-summary"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
    expect(summary).toContain('<dd>The Decode Singularity');
    // STRIPE_AUTOMATIC_TAX is on in this suite: tax is added from the address, on Stripe's page.
    expect(summary).toContain('<strong>$75 CAD</strong>, plus applicable tax, one-time payment, not a subscription');
    expect(summary).toContain("Any sales tax is worked out from your address and shown on Stripe's page before you pay.");
    expect(summary).toContain("You pay on Stripe's secure page");
    expect(page).not.toContain('aria-invalid');
  });

  it('When the form is tampered with a price, then the session is still priced from the thesis record', async () => {
    expectStatus(await startCheckout(request.agent(warren.app), DEMO_SLUG, { ...ATTESTED, amount: '1', unit_amount: '1', currency: 'usd', priceAmount: '1' }), 303);
    const params = lastCreation().params as any;
    expect(params.line_items[0].price_data).toMatchObject({ currency: 'cad', unit_amount: '7500' });
  });

  it('When checkout starts, then the session carries an idempotency key, client_reference_id, address collection, tax and promotion codes as configured', async () => {
    const { sessionId } = await buyThesis(warren, 'attested@example.com');
    const creation = lastCreation();
    const params = creation.params as any;
    const attempt = await warren.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
    expect(creation.idempotencyKey).toBe(`checkout:${attempt.id}`);
    expect(params.client_reference_id).toBe(attempt.id);
    expect(params.billing_address_collection).toBe('required');
    expect(params.automatic_tax).toEqual({ enabled: 'true' });
    expect(params.allow_promotion_codes).toBe('true');
    expect(params.customer_email).toBeUndefined();
    expect(attempt).toMatchObject({
      attestationVersion: ATTESTATION.version,
      attestationText: ATTESTATION_TEXT,
      attestedAt: warren.clock.now(),
      amount: 7500,
      currency: 'cad',
      status: 'open',
    });
    expect(attempt.attestedIp).toMatch(/127\.0\.0\.1|::1/);

    // The attestation stays with the purchase it led to.
    await request(warren.app).get(`/checkout/success?session_id=${sessionId}`).expect(200);
    const purchase = await warren.db.purchase.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
    const linked = await warren.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: purchase.checkoutSessionId } });
    expect(linked).toMatchObject({ status: 'fulfilled', userId: purchase.userId, attestationText: ATTESTATION_TEXT });
  });

  it('When the same form is submitted twice, then Stripe gets the same idempotency key and one session results', async () => {
    const agent = request.agent(warren.app);
    const page = await agent.get(`/theses/${DEMO_SLUG}/buy`).expect(200);
    const attempt = /name="attempt" value="([^"]+)"/.exec(page.text)![1];
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const first = await agent.post(`/theses/${DEMO_SLUG}/checkout`).type('form').send({ attempt, ...ATTESTED, _csrf }).expect(303);
    const second = await agent.post(`/theses/${DEMO_SLUG}/checkout`).type('form').send({ attempt, ...ATTESTED, _csrf }).expect(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await warren.db.checkoutAttempt.count({ where: { id: attempt } })).toBe(1);
  });

  it('When a member who already holds the thesis opens the buy page or posts the form, then they are told and shown the link', async () => {
    const { agent, sessionId } = await buyThesis(warren, 'holder@example.com');
    await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    const before = warren.stripe.sessionCreations().length;
    const page = await agent.get(`/theses/${DEMO_SLUG}/buy`).expect(200);
    expect(page.text).toContain('You already have access to this thesis');
    expect(page.text).toContain(`href="/theses/${DEMO_SLUG}#members-layer"`);
    const posted = expectStatus(await startCheckout(agent), 200);
    expect(posted.text).toContain('You already have access to this thesis');
    expect(warren.stripe.sessionCreations()).toHaveLength(before);
  });

  it('When a signed-in reader buys, then the session is opened for their e-mail address', async () => {
    await warren.db.user.create({ data: { email: 'known@example.com', createdAt: warren.clock.now() } });
    const { agent } = await signInByEmail(warren, 'known@example.com');
    await buyThesis(warren, 'known@example.com', DEMO_SLUG, agent);
    expect((lastCreation().params as any).customer_email).toBe('known@example.com');
  });

  it('When the buyer cancels on Stripe, then the cancel URL brings them back to the thesis', async () => {
    const params = lastCreation().params as any;
    const back = await request(warren.app).get(new URL(params.cancel_url).pathname).expect(200);
    expect(back.text).toContain('id="paywall"');
  });
});
