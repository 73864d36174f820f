// Test-payment mode (issue 16): development without Stripe keys, built through buildDeps as main.ts
// builds it, the site listening on a real port so the local Stripe's hosted page can deliver webhooks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IncomingMessage, Server } from 'node:http';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_ADMIN_EMAIL, loadConfig } from '../server/config.ts';
import { buildDeps, type Built } from '../server/deps.ts';
import { createSiteServer } from '../server/app.ts';
import { seedDemoContentIfEmpty } from '../server/publishing/demo-seed.ts';
import { TestPaymentsRefused, startTestPayments } from '../server/dev/test-payments/test-payments.ts';
import { isLocalRequest } from '../server/http/local-only.ts';
import { freePort } from './support/app-process.ts';
import { openTestDatabase, type TestDatabase } from './support/test-database.ts';
import { DEMO_SLUG, TestClock, expectStatus, startCheckout, startWarren, submitForm } from './support/harness.ts';

type Agent = ReturnType<typeof request.agent>;

describe('Test-payment mode', () => {
  const clock = new TestClock();
  let database: TestDatabase;
  let built: Built;
  let server: Server;
  let siteUrl: string;
  let mailDir: string;
  beforeAll(async () => {
    database = await openTestDatabase();
    mailDir = mkdtempSync(path.join(tmpdir(), 'warren-test-mail-'));
    const port = await freePort();
    siteUrl = `http://127.0.0.1:${port}`;
    const config = loadConfig({ NODE_ENV: 'development', PORT: String(port), APP_URL: siteUrl, MAIL_DIR: mailDir });
    await seedDemoContentIfEmpty(database.prisma, clock.now(), config.publisherName);
    built = await buildDeps(config, { clock, database, logger: pino({ level: 'silent' }), mailDrivenByHand: true });
    server = createSiteServer(built.deps);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await built?.close();
    await database?.destroy();
    rmSync(mailDir, { recursive: true, force: true });
  });

  const db = () => database.prisma;

  /** From the thesis's buy page to the local Stripe's hosted checkout: its URL. */
  async function openCheckout(agent: Agent): Promise<URL> {
    const checkout = expectStatus(await startCheckout(agent), 303);
    return new URL(checkout.headers.location);
  }

  const submitCheckoutPage = (checkoutPage: URL, fields: Record<string, string>) =>
    request(checkoutPage.origin).post(checkoutPage.pathname).type('form').send(fields);

  /** Buys the demo thesis on the test checkout page and returns from it to the success page. */
  async function buy(email: string, fields: Record<string, string> = { card: '4242424242424242' }) {
    const agent = request.agent(siteUrl);
    const checkoutPage = await openCheckout(agent);
    const paid = expectStatus(await submitCheckoutPage(checkoutPage, { email, ...fields }), 303);
    const success = new URL(paid.headers.location);
    const sessionId = success.searchParams.get('session_id')!;
    return { agent, checkoutPage, success, sessionId };
  }

  async function entitlementOf(email: string) {
    const entitlement = await db().entitlement.findFirst({ where: { user: { email }, thesis: { slug: DEMO_SLUG } }, select: { status: true } });
    return entitlement?.status ?? null;
  }

  const readsMembersLayer = async (agent: Agent) => (await agent.get(`/theses/${DEMO_SLUG}`).expect(200)).text.includes('id="members-layer"');

  it('When a visitor buys, then the test checkout page takes the payment, its signed webhook fulfils it and the success page lets them read', async () => {
    const agent = request.agent(siteUrl);
    const checkoutPage = await openCheckout(agent);
    expect(checkoutPage.hostname).toBe('127.0.0.1');
    expect(checkoutPage.origin).not.toBe(siteUrl);
    const page = expectStatus(await request(checkoutPage.origin).get(checkoutPage.pathname), 200);
    expect(page.text).toContain('Test payment — no money moves');
    expect(page.text).toContain('name="email"');
    expect(page.text).toMatch(/<button type="submit">Pay \$75 CAD<\/button>/);
    expect(page.text).toContain(`href="${siteUrl}/theses/${DEMO_SLUG}">Cancel</a>`);

    const email = 'test.buyer@example.com';
    const paid = expectStatus(await submitCheckoutPage(checkoutPage, { email, card: '4242424242424242' }), 303);
    const success = new URL(paid.headers.location);
    expect(success.origin + success.pathname).toBe(`${siteUrl}/checkout/success`);
    const sessionId = success.searchParams.get('session_id')!;
    // The webhook, not the success page, made the purchase: it was delivered before the redirect.
    expect(await db().stripeEvent.count({ where: { type: 'checkout.session.completed' } })).toBe(1);
    expect(await db().purchase.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } })).toMatchObject({ amount: 7500, status: 'paid' });
    expect(await entitlementOf(email)).toBe('active');

    const thanks = expectStatus(await agent.get(success.pathname + success.search), 200);
    expect(thanks.text).toContain('Your purchase is confirmed');
    expect(await readsMembersLayer(agent)).toBe(true);
    expect(expectStatus(await request(checkoutPage.origin).get(checkoutPage.pathname), 409).text).toContain('already complete');
  });

  it('When the declined test card is used, then the page says so and nothing is bought; the buyer may then pay', async () => {
    const email = 'declined@example.com';
    const agent = request.agent(siteUrl);
    const checkoutPage = await openCheckout(agent);
    const declined = expectStatus(await submitCheckoutPage(checkoutPage, { email, card: '4000000000000002' }), 402);
    expect(declined.text).toContain('Your card was declined');
    expect(await db().user.count({ where: { email } })).toBe(0);
    const sessionId = checkoutPage.pathname.split('/').pop()!;
    expect(await db().purchase.count({ where: { checkoutSessionId: sessionId } })).toBe(0);
    expect(await db().checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } })).toMatchObject({ status: 'open' });

    expectStatus(await submitCheckoutPage(checkoutPage, { email, card: '4242424242424242' }), 303);
    expect(await entitlementOf(email)).toBe('active');
  });

  it('When the checkout form is wrong (address, card, code) or the session unknown, then it says what, and nothing is bought', async () => {
    const email = 'careless@example.com';
    const checkoutPage = await openCheckout(request.agent(siteUrl));
    const answers = [
      [await submitCheckoutPage(checkoutPage, { email: 'not-an-address', card: '4242424242424242' }), 400, 'Enter the e-mail address'],
      [await submitCheckoutPage(checkoutPage, { email, card: '1234' }), 400, 'Choose one of the test cards'],
      [await submitCheckoutPage(checkoutPage, { email, promotionCode: 'HALF' }), 400, 'There is no promotion code &quot;HALF&quot;'],
      [await request(checkoutPage.origin).post('/pay/cs_test_unknown').type('form').send({ email }), 404, 'There is no such test checkout'],
    ] as const;
    for (const [res, status, message] of answers) expect(expectStatus(res, status).text).toContain(message);
    expect(await db().user.count({ where: { email } })).toBe(0);
    // Still open: the buyer can correct the form and pay.
    expect(expectStatus(await request(checkoutPage.origin).get(checkoutPage.pathname), 200).text).toContain('Pay $75 CAD');
  });

  it('When the 100 %-off code is entered, then the sale is made with nothing paid, as a real full discount', async () => {
    const email = 'free.code@example.com';
    const { sessionId } = await buy(email, { promotionCode: 'free100' });
    expect(await db().purchase.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } })).toMatchObject({
      amount: 0,
      discountAmount: 7500,
      promotionCode: 'promo_test_free100',
      paymentIntentId: null,
      status: 'paid',
    });
    expect(await entitlementOf(email)).toBe('active');
    const payments = await request.agent(siteUrl).get('/dev/payments').expect(200);
    expect(payments.text).toContain('paid nothing (100 %-off code)');
    expect(payments.text).not.toContain(`/dev/payments/${sessionId}/refund`);
  });

  it('When a test payment is refunded on /dev/payments, then its access goes; refunding again, or an unknown payment, is refused and changes nothing', async () => {
    const email = 'refunded@example.com';
    const { agent, success, sessionId } = await buy(email);
    await agent.get(success.pathname + success.search).expect(200);
    expect(await readsMembersLayer(agent)).toBe(true);

    const refund = `/dev/payments/${sessionId}/refund`;
    expectStatus(await submitForm(agent, '/dev/payments', refund), 303);
    expect(await entitlementOf(email)).toBe('revoked');
    expect(await db().purchase.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } })).toMatchObject({ status: 'refunded' });
    expect(await readsMembersLayer(agent)).toBe(false);
    expect((await agent.get('/dev/payments').expect(200)).text).toContain('refunded: access revoked');

    const events = await db().stripeEvent.count();
    expect(expectStatus(await submitForm(agent, '/dev/payments', refund), 409).text).toContain('already refunded');
    expect(expectStatus(await submitForm(agent, '/dev/payments', `/dev/payments/${sessionId}/dispute`), 409).text).toContain('already refunded');
    expectStatus(await submitForm(agent, '/dev/payments', '/dev/payments/cs_test_unknown/refund'), 404);
    expectStatus(await agent.post(refund).type('form').send({}), 403); // no CSRF token
    expect(await db().stripeEvent.count()).toBe(events);
  });

  it('When a test payment is disputed on /dev/payments, then its access is paused', async () => {
    const email = 'disputed@example.com';
    const { agent, success, sessionId } = await buy(email);
    await agent.get(success.pathname + success.search).expect(200);
    expectStatus(await submitForm(agent, '/dev/payments', `/dev/payments/${sessionId}/dispute`), 303);
    expect(await entitlementOf(email)).toBe('suspended');
    expect(await readsMembersLayer(agent)).toBe(false);
    expect((await agent.get('/dev/payments').expect(200)).text).toContain('disputed: access paused');
  });

  it('When the newcomer signs in as the development admin with the link from /dev/mail, then /admin opens', async () => {
    const agent = request.agent(siteUrl);
    expectStatus(await submitForm(agent, '/login', '/login', { email: DEVELOPMENT_ADMIN_EMAIL, next: '/admin' }), 200);
    await built.mail.worker.drain();
    const inbox = (await agent.get('/dev/mail').expect(200)).text;
    const signInMail = [...inbox.matchAll(/href="(\/dev\/mail\/[^"]+)">Your sign-in link[^<]*<\/a><br><span class="meta">to ([^ ]+)/g)].find(
      ([, , to]) => to === DEVELOPMENT_ADMIN_EMAIL,
    );
    expect(signInMail, inbox).toBeDefined();
    const mail = (await agent.get(signInMail![1]).expect(200)).text;
    // Handlebars writes the link's "=" as "&#x3D;".
    const token = /\/login\/verify\?token(?:=|&#x3D;)([\w-]+)/.exec(mail)![1];
    expectStatus(await submitForm(agent, `/login/verify?token=${token}`, '/login/verify', { token }), 303);
    expect((await agent.get('/admin').expect(200)).text).toContain('Theses');
  });

  it('When /dev/mail or /dev/payments is asked for from elsewhere (a neighbour, a proxy, a rebound DNS name), then 403 and nothing shows', async () => {
    const { agent, success, sessionId } = await buy('seen.from.afar@example.com');
    await agent.get(success.pathname + success.search).expect(200);
    await built.mail.worker.drain();
    expect((await agent.get('/dev/mail').expect(200)).text).toContain('seen.from.afar@example.com');
    const elsewhere: Record<string, string>[] = [{ host: 'attacker.example:80' }, { 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }];
    for (const headers of elsewhere) {
      for (const page of ['/dev/mail', '/dev/payments']) {
        const res = expectStatus(await agent.get(page).set(headers), 403);
        expect(res.text, page).toContain('only on the machine running Warren');
        expect(res.text, page).not.toContain('seen.from.afar@example.com');
        expect(res.text, page).not.toContain(sessionId);
      }
    }
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/login').expect(200)).text)![1];
    expectStatus(await agent.post(`/dev/payments/${sessionId}/refund`).set({ host: 'attacker.example' }).type('form').send({ _csrf: csrf }), 403);
    expect(await entitlementOf('seen.from.afar@example.com')).toBe('active');
    // The server listens on every interface: a neighbour's address is not this machine, whatever Host it sends.
    const neighbour = { socket: { remoteAddress: '192.168.1.20' }, headers: { host: 'localhost:3000' } } as unknown as IncomingMessage;
    expect(isLocalRequest(neighbour, siteUrl)).toBe(false);
    const here = { socket: { remoteAddress: '::1' }, headers: { host: '[::1]:3000' } } as unknown as IncomingMessage;
    expect(isLocalRequest(here, siteUrl)).toBe(true);
  });

  it('When the site refuses the webhook of a payment, refund or dispute, then nothing is left half done and the button works once it answers', async () => {
    const email = 'webhook.refused@example.com';
    const { agent, success, sessionId } = await buy(email);
    await agent.get(success.pathname + success.search).expect(200);
    const local = built.deps.testPayments!.local;
    const secret = built.deps.testPayments!.stripe.webhookSecret;
    local.sendWebhooksTo(`${siteUrl}/webhooks/not-here`, secret);
    try {
      const unpaid = await openCheckout(request.agent(siteUrl));
      expect(expectStatus(await submitCheckoutPage(unpaid, { email: 'unlucky@example.com', card: '4242424242424242' }), 502).text).toContain('try again');
      // Still open, and not listed as paid: the buyer pays again once the site answers.
      expect(expectStatus(await request(unpaid.origin).get(unpaid.pathname), 200).text).toContain('Pay $75 CAD');
      for (const action of ['refund', 'dispute']) {
        expectStatus(await submitForm(agent, '/dev/payments', `/dev/payments/${sessionId}/${action}`), 502);
        expect(await entitlementOf(email), action).toBe('active');
        // Still listed as paid, with its buttons.
        expect((await agent.get('/dev/payments').expect(200)).text, action).toContain(`/dev/payments/${sessionId}/refund`);
      }
      local.sendWebhooksTo(`${siteUrl}/webhooks/stripe`, secret);
      expectStatus(await submitCheckoutPage(unpaid, { email: 'unlucky@example.com', card: '4242424242424242' }), 303);
      expect(await entitlementOf('unlucky@example.com')).toBe('active');
      expectStatus(await submitForm(agent, '/dev/payments', `/dev/payments/${sessionId}/refund`), 303);
      expect(await entitlementOf(email)).toBe('revoked');
    } finally {
      local.sendWebhooksTo(`${siteUrl}/webhooks/stripe`, secret);
    }
  });

  it('When any page is shown, then it carries the test-mode banner', async () => {
    for (const [pagePath, status] of [['/', 200], [`/theses/${DEMO_SLUG}`, 200], ['/login', 200], ['/dev/payments', 200], ['/no-such-page', 404]] as const) {
      const page = await request(siteUrl).get(pagePath).expect(status);
      expect(page.text, pagePath).toContain('class="test-mode-banner"');
    }
  });
});

describe('Test payments outside development', () => {
  it('When the test payments are started for production, then they refuse', async () => {
    await expect(startTestPayments({ env: 'production', clock: new TestClock(), webhookUrl: 'http://127.0.0.1:1/webhooks/stripe' })).rejects.toThrow(
      TestPaymentsRefused,
    );
  });

  it('When the site runs with Stripe keys (production, or tests), then there is no banner and no /dev/payments', async () => {
    const [production, withKeys] = await Promise.all([startWarren({ NODE_ENV: 'production' }), startWarren()]);
    try {
      for (const warren of [production, withKeys]) {
        expect(warren.deps.testPayments).toBeNull();
        expect((await request(warren.app).get('/').expect(200)).text).not.toContain('test-mode-banner');
        await request(warren.app).get('/dev/payments').expect(404);
      }
    } finally {
      await Promise.all([production.close(), withKeys.close()]);
    }
  });
});
