import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import jwt from 'jsonwebtoken';
import { DEMO_SLUG, buyThesis, csrfToken, sessionJwtOf, signInByEmail, startWarren, type Warren } from './support/harness.ts';
import { verifiedMember } from './support/payments.ts';
import { SIGN_IN_MAIL_INTERVAL_MS } from '../server/accounts/sign-in-request.ts';

const ADMIN = 'boss@example.com';
const SECRET_B = 'Thesis B members-only sizing';
type Agent = ReturnType<typeof request.agent>;

const setsSession = (res: { headers: Record<string, unknown> }) => /warren_session=[^;]+/.test(String(res.headers['set-cookie'] ?? ''));
const asCookie = (token: string) => `warren_session=${token}`;

describe('The checkout success page signs in only a new buyer, in the browser that paid', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    const now = warren.clock.now();
    await warren.db.thesis.create({
      data: {
        slug: 'thesis-b', series: 'S', subject: 'B Co', title: 'Thesis B', tagline: 't', priceAmount: 7500, publicBody: '## Public',
        publishedAt: now, createdAt: now, updatedAt: now,
        memberSections: { create: [{ position: 0, title: 'Position sizing', summary: 's', body: SECRET_B }] },
      },
    });
  });
  afterAll(() => warren.close());

  /** Buys in a fresh browser (typing `email` on Stripe's page) and opens the success URL there. */
  async function payAndReturn(email: string, slug = DEMO_SLUG, agent: Agent = request.agent(warren.app)) {
    const { sessionId } = await buyThesis(warren, email, slug, agent);
    const success = await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    return { agent, sessionId, success };
  }

  it("When a stranger pays with an admin's address (no account yet), then no session is set and /admin stays closed", async () => {
    const { agent, success } = await payAndReturn(ADMIN);
    expect(setsSession(success)).toBe(false);
    expect(success.text).toContain('We sent a sign-in link to the address you paid with');
    expect(success.text).not.toContain('Read the members');
    const admin = await agent.get('/admin/members').expect(303);
    expect(admin.headers.location).toMatch(/^\/login/);
  });

  it('When a stranger pays with the address of an admin promoted in the admin area, then no session is set', async () => {
    const now = warren.clock.now();
    await warren.db.user.create({ data: { email: 'promoted@example.com', role: 'admin', createdAt: now } });
    const { agent, success } = await payAndReturn('promoted@example.com');
    expect(setsSession(success)).toBe(false);
    await agent.get('/admin').expect(303);
  });

  it("When a stranger pays with an existing member's address, then they are not signed in as that member and see none of their account", async () => {
    await verifiedMember(warren, 'victim@example.com', 'thesis-b');
    const { agent, success } = await payAndReturn('victim@example.com');
    expect(setsSession(success)).toBe(false);
    expect(success.text).not.toContain('victim@example.com');
    expect(success.text.replace(/\s+/g, ' ')).toContain('if that address could already read this thesis');
    const account = await agent.get('/account').expect(303);
    expect(account.headers.location).toMatch(/^\/login/);
    expect((await agent.get('/theses/thesis-b').expect(200)).text).not.toContain(SECRET_B);
  });

  it("When an address that already has an account pays again in a new browser, then that browser gets no session", async () => {
    // The same new address buys twice in one browser: the second purchase's account already existed.
    const first = await payAndReturn('twice@example.com');
    expect(setsSession(first.success)).toBe(true);
    const fresh = request.agent(warren.app);
    const second = await payAndReturn('twice@example.com', 'thesis-b', fresh);
    expect(setsSession(second.success)).toBe(false);
    expect((await fresh.get('/theses/thesis-b').expect(200)).text).not.toContain(SECRET_B);
  });

  it('When the success URL is forwarded, unopened, to a signed-in member, then their session stays and they are told', async () => {
    const attacker = request.agent(warren.app);
    const { sessionId } = await buyThesis(warren, 'attacker@example.com', DEMO_SLUG, attacker);
    const victim = await verifiedMember(warren, 'forward.victim@example.com', 'thesis-b');
    const opened = await victim.agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    expect(setsSession(opened)).toBe(false);
    expect(opened.text).toContain('This browser is signed in as <strong>forward.victim@example.com</strong>');
    expect((await victim.agent.get('/account').expect(200)).text).toContain('Signed in as <strong>forward.victim@example.com</strong>');
    // The purchase stays the payer's: the attacker's later visit in their own browser still signs them in.
    const own = await attacker.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    expect(setsSession(own)).toBe(true);
  });

  it('When the success URL is forwarded, unopened, to an anonymous browser, then that browser gets no session', async () => {
    const { sessionId } = await buyThesis(warren, 'forwarder@example.com');
    const stranger = await request(warren.app).get(`/checkout/success?session_id=${sessionId}`).expect(200);
    expect(setsSession(stranger)).toBe(false);
    expect(stranger.text).not.toContain('forwarder@example.com');
  });

  it('When the buyer opens the success URL a second time, even in the same browser, then no second session is given', async () => {
    const { agent, sessionId, success } = await payAndReturn('second.visit@example.com');
    expect(setsSession(success)).toBe(true);
    const again = await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    expect(setsSession(again)).toBe(false);
    expect(again.text).toContain('Read the members');
    // Signed out, the same browser does not get it back from the URL.
    await agent.post('/logout').type('form').send({ _csrf: csrfToken((await agent.get('/account')).text) }).expect(303);
    const afterSignOut = await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    expect(setsSession(afterSignOut)).toBe(false);
  });

  it('When a browser brings a checkout nonce of its own (planted), then it gets a new one and the planted one signs no one in', async () => {
    const planted = 'p'.repeat(43);
    const victim = request.agent(warren.app);
    victim.jar.setCookie(`warren_checkout=${planted}`, '127.0.0.1', '/');
    const { sessionId, checkout } = await buyThesis(warren, 'planted.victim@example.com', DEMO_SLUG, victim);
    expect(String(checkout.headers['set-cookie'])).toMatch(/warren_checkout=(?!p{43})[A-Za-z0-9_-]{43};/);
    const attacker = await request(warren.app).get(`/checkout/success?session_id=${sessionId}`).set('Cookie', `warren_checkout=${planted}`).expect(200);
    expect(setsSession(attacker)).toBe(false);
    expect(setsSession(await victim.get(`/checkout/success?session_id=${sessionId}`).expect(200))).toBe(true);
  });

  describe('The unverified session a new buyer gets', () => {
    let buyer: Agent;
    let token: string;
    let userId: string;
    beforeAll(async () => {
      const { agent, success } = await payAndReturn('new.buyer@example.com');
      buyer = agent;
      token = sessionJwtOf(success);
      userId = (await warren.db.user.findUniqueOrThrow({ where: { email: 'new.buyer@example.com' } })).id;
      const cookie = String(success.headers['set-cookie']);
      expect(cookie).toMatch(/warren_session=[^;]+;[^,]*Max-Age=86400/);
    });

    it('When it reads, then it opens the thesis it paid for and nothing else the account holds', async () => {
      const now = warren.clock.now();
      const thesisB = await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'thesis-b' } });
      await warren.db.entitlement.create({ data: { userId, thesisId: thesisB.id, source: 'grant', createdAt: now, updatedAt: now } });
      await warren.deps.access.accessChanged(userId);
      expect((await buyer.get(`/theses/${DEMO_SLUG}`).expect(200)).text).toContain('id="members-layer"');
      expect((await buyer.get(`/theses/${DEMO_SLUG}/signals`).expect(200)).text).toContain('signal');
      const other = await buyer.get('/theses/thesis-b').expect(200);
      expect(other.text).not.toContain(SECRET_B);
      await buyer.get('/theses/thesis-b/signals').expect(403);
      const account = await buyer.get('/account').expect(200);
      expect(account.text).toContain('only for a day');
      expect(account.text).not.toContain('Thesis B');
      expect(account.text).not.toContain('action="/account/alerts"');
    });

    it('When it asks for its account, then it sees neither the address nor any receipt (the paying browser may be another)', async () => {
      const account = await buyer.get('/account').expect(200);
      expect(account.text).not.toContain('new.buyer@example.com');
      expect(account.text).not.toContain('/account/purchases/');
      const purchase = await warren.db.purchase.findFirstOrThrow({ where: { userId } });
      const receipt = await buyer.get(`/account/purchases/${purchase.id}`).expect(403);
      expect(receipt.text).not.toContain('new.buyer@example.com');
    });

    it('When it asks for sign-in links over and over, then the account gets at most ten an hour', async () => {
      const _csrf = csrfToken((await buyer.get('/account').expect(200)).text);
      const queued = () => warren.db.outboxMessage.count({ where: { recipient: 'new.buyer@example.com', template: 'sign-in' } });
      const before = await queued();
      for (let n = 0; n < 10; n++) {
        await buyer.post('/account/sign-in-link').type('form').send({ _csrf }).expect(200);
        warren.clock.advance(SIGN_IN_MAIL_INTERVAL_MS); // past the one-per-minute limit, well within the hour
      }
      await buyer.post('/account/sign-in-link').type('form').send({ _csrf }).expect(429);
      expect(await queued()).toBe(before + 10);
    });

    it('When it tries to change the account or open the admin area, then it is refused and nothing changes', async () => {
      const page = await buyer.get('/account').expect(200);
      const _csrf = csrfToken(page.text);
      const before = await warren.db.user.findUniqueOrThrow({ where: { id: userId } });
      await buyer.post('/account/alerts').type('form').send({ _csrf }).expect(403);
      await buyer.post('/account/sign-out-everywhere').type('form').send({ _csrf }).expect(403);
      expect(await warren.db.user.findUniqueOrThrow({ where: { id: userId } })).toEqual(before);
      expect((await buyer.get('/admin').expect(303)).headers.location).toMatch(/^\/login/);
    });

    it('When 24 hours have passed, then its token has expired', () => {
      const claims = jwt.decode(token) as { iat: number; exp: number; uvt: string };
      expect(claims.exp - claims.iat).toBe(24 * 60 * 60);
      expect(typeof claims.uvt).toBe('string');
    });

    it('When the owner of the address first signs in from the inbox, then every unverified session of it ends', async () => {
      const { agent: owner, confirm } = await signInByEmail(warren, 'new.buyer@example.com', `/theses/${DEMO_SLUG}`);
      const replay = await request(warren.app).get(`/theses/${DEMO_SLUG}`).set('Cookie', asCookie(token)).expect(200);
      expect(replay.text).not.toContain('id="members-layer"');
      expect((await owner.get(`/theses/${DEMO_SLUG}`).expect(200)).text).toContain('id="members-layer"');
      // A later sign-in on another device leaves the verified session alone.
      await signInByEmail(warren, 'new.buyer@example.com');
      const verified = await request(warren.app).get('/account').set('Cookie', asCookie(sessionJwtOf(confirm))).expect(200);
      expect(verified.text).toContain('action="/account/alerts"');
    });
  });

  it('When an unverified session has lived 24 hours, then it reads nothing', async () => {
    const { agent } = await payAndReturn('expiring@example.com');
    expect((await agent.get(`/theses/${DEMO_SLUG}`).expect(200)).text).toContain('id="members-layer"');
    warren.clock.advance(24 * 60 * 60 * 1000 + 1000);
    expect((await agent.get(`/theses/${DEMO_SLUG}`).expect(200)).text).not.toContain('id="members-layer"');
  });
});
