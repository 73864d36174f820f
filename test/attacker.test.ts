import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import jwt from 'jsonwebtoken';
import { APP_URL, DEMO_SLUG, TEST_JWT_SECRET, buyThesis, csrfToken, signInByEmail, startWarren, waitOutSignInInterval, type Warren } from './support/harness.ts';
import { deliver, verifiedMember } from './support/payments.ts';

const ADMIN = 'boss@example.com';
const MEMBER = 'attacked.member@example.com';
const SECRET_B = 'Thesis B secret sizing text';
type Agent = ReturnType<typeof request.agent>;

describe('An attacker who tries everything', () => {
  let warren: Warren;
  let member: Agent;
  let memberJwt: string;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    await warren.db.user.create({ data: { email: ADMIN, createdAt: warren.clock.now() } });
    await warren.db.thesis.create({
      data: {
        slug: 'thesis-b', series: 'S', subject: 'B Co', title: 'Thesis B', tagline: 't', priceAmount: 7500, publicBody: '## Public',
        publishedAt: warren.clock.now(), createdAt: warren.clock.now(), updatedAt: warren.clock.now(),
        memberSections: { create: [{ position: 0, title: 'Position sizing', summary: 's', body: SECRET_B }] },
      },
    });
    ({ agent: member, jwt: memberJwt } = await verifiedMember(warren, MEMBER));
  });
  afterAll(() => warren.close());

  const asCookie = (token: string) => `warren_session=${token}`;

  it("When a member of thesis A asks for thesis B's members' layer, in any spelling, then they get B's paywall", async () => {
    for (const path of ['/theses/thesis-b', '/theses/thesis-b/', '/THESES/thesis-b', '/theses/%74hesis-b', '/theses/thesis%2Db']) {
      const res = await member.get(path);
      expect(res.text, path).not.toContain(SECRET_B);
      if (res.status === 200) expect(res.text, path).toContain('id="paywall"');
    }
  });

  it('When gated pages are asked for in another case, with a trailing slash, percent-encoded or with HEAD, then they are gated the same', async () => {
    const anonymous = request(warren.app);
    for (const path of ['/account', '/ACCOUNT', '/account/', '/%61ccount', '/Account/']) {
      const res = await anonymous.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.location, path).toMatch(/^\/login\?next=/);
      expect((await anonymous.head(path)).status, `HEAD ${path}`).toBe(303);
    }
    for (const path of ['/admin/members', '/ADMIN/members', '/admin/members/', '/%61dmin/members', '/admin/%6Dembers']) {
      expect((await anonymous.get(path)).status, path).toBe(303);
      expect((await anonymous.head(path)).status, `HEAD ${path}`).toBe(303);
      expect((await member.get(path)).status, `member ${path}`).toBe(403);
      expect((await member.head(path)).status, `member HEAD ${path}`).toBe(403);
    }
    for (const path of [`/theses/${DEMO_SLUG}`, `/theses/${DEMO_SLUG}/`, `/theses/%64ecode-singularity`, `/Theses/${DEMO_SLUG}`]) {
      const mine = await member.get(path).expect(200);
      expect(mine.text, path).toContain('id="members-layer"');
      expect(mine.headers['cache-control'], path).toBe('private, no-store');
      const head = await member.head(path).expect(200);
      expect(head.headers['cache-control'], `HEAD ${path}`).toBe('private, no-store');
      const stranger = await anonymous.get(path).expect(200);
      expect(stranger.text, path).not.toContain('id="members-layer"');
    }
  });

  it('When a forged admin cookie is presented, then the admin area treats the visitor as anonymous', async () => {
    const admin = await warren.db.user.findUniqueOrThrow({ where: { email: ADMIN } });
    const claims = { sub: admin.id, sv: 0, iss: 'warren', aud: 'warren:session' };
    const forged = [
      jwt.sign(claims, 'not-the-real-secret-but-32-bytes-long!!', { algorithm: 'HS256', expiresIn: 3600 }),
      jwt.sign(claims, TEST_JWT_SECRET, { algorithm: 'HS512', expiresIn: 3600 }),
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, exp: 9e9 })).toString('base64url')}.`,
    ];
    for (const token of forged) {
      const res = await request(warren.app).get('/admin/members').set('Cookie', asCookie(token));
      expect(res.status).toBe(303);
      expect(res.text).not.toContain(MEMBER);
    }
    // A token without a session version (issued before sign-out-everywhere existed) is refused too.
    const unversioned = jwt.sign({ sub: admin.id }, TEST_JWT_SECRET, { algorithm: 'HS256', issuer: 'warren', audience: 'warren:session', expiresIn: 3600 });
    expect((await request(warren.app).get('/admin/members').set('Cookie', asCookie(unversioned))).status).toBe(303);
  });

  it('When a form arrives without its CSRF token or with a wrong one, then 403 and nothing changes', async () => {
    const page = await member.get('/account').expect(200);
    const before = await warren.db.user.findUniqueOrThrow({ where: { email: MEMBER } });
    const otherToken = csrfToken((await request(warren.app).get('/login')).text);
    for (const [action, fields] of [
      ['/account/alerts', {}],
      ['/account/sign-out-everywhere', {}],
      ['/account/sign-in-link', {}],
      ['/login/code', { email: MEMBER, code: 'ABCD-EFGH' }],
      [`/theses/${DEMO_SLUG}/checkout`, { attempt: crypto.randomUUID(), qualifiedInvestor: 'yes', acceptTerms: 'yes', notAdvice: 'yes' }],
    ] as const) {
      await member.post(action).type('form').send(fields).expect(403);
      await member.post(action).type('form').send({ ...fields, _csrf: otherToken }).expect(403);
      await member.post(action).type('form').send({ ...fields, _csrf: `${csrfToken(page.text)}x` }).expect(403);
    }
    expect(await warren.db.user.findUniqueOrThrow({ where: { email: MEMBER } })).toEqual(before);
    await member.get('/account').expect(200);
  });

  it('When next points elsewhere (https://evil.example, //evil.example, /\\evil.example), then it is replaced by /', async () => {
    const form = await request(warren.app).get('/login?next=https://evil.example').expect(200);
    expect(form.text).toContain('name="next" value="/"');
    for (const next of ['https://evil.example', '//evil.example', '/\\evil.example', 'https:/evil.example']) {
      const { confirm } = await signInByEmail(warren, MEMBER, next);
      expect(confirm.headers.location, next).toBe('/');
    }
  });

  it('When values arrive as arrays where strings are expected, then 400 before anything is queried or queued', async () => {
    const queued = await warren.db.outboxMessage.count();
    const page = await request.agent(warren.app);
    const _csrf = csrfToken((await page.get('/login')).text);
    const res = await page.post('/login').type('form').send(`email=${encodeURIComponent(MEMBER)}&email=x%40example.com&_csrf=${_csrf}`).expect(400);
    expect(res.text).toContain('must appear once');
    await request(warren.app).get('/login?next=/a&next=/b').expect(400);
    await request(warren.app).get('/checkout/success?session_id=cs_1&session_id=cs_2').expect(400);
    const json = await request(warren.app).get('/login?next=/a&next=/b').set('Accept', 'application/json').expect(400);
    expect(json.body).toEqual({ error: 'Each field of this request must appear once, as plain text.' });
    expect(await warren.db.outboxMessage.count()).toBe(queued);
  });

  it('When a request body is larger than the limit, then 413 and nothing is processed', async () => {
    const agent = request.agent(warren.app);
    const _csrf = csrfToken((await agent.get('/login')).text);
    const res = await agent.post('/login').type('form').send(`email=${'a'.repeat(40 * 1024)}%40example.com&_csrf=${_csrf}`);
    expect(res.status).toBe(413);
  });

  it('When any page is served, then security headers forbid inline script, framing and sniffing', async () => {
    const res = await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('form-action');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('When a sign-in link is asked for with a forged Host header, then the e-mailed link still points to APP_URL', async () => {
    const agent = request.agent(warren.app);
    const _csrf = csrfToken((await agent.get('/login')).text);
    await waitOutSignInInterval(warren, MEMBER);
    await agent.post('/login').set('Host', 'evil.example').set('X-Forwarded-Host', 'evil.example').type('form').send({ email: MEMBER, _csrf }).expect(200);
    await warren.deliverMail();
    const mail = warren.inbox.to(MEMBER).at(-1)!;
    expect(mail.text).toContain(`${APP_URL}/login/verify?token=`);
    expect(String(mail.text) + String(mail.html)).not.toContain('evil.example');
  });

  it('When a thesis title carries CR/LF and a Bcc header, then the receipt goes to the buyer alone', async () => {
    await warren.db.thesis.update({ where: { slug: 'thesis-b' }, data: { title: 'Thesis B\r\nBcc: victim@example.com' } });
    const { sessionId } = await buyThesis(warren, 'header.buyer@example.com', 'thesis-b');
    await deliver(warren, 'checkout.session.completed', warren.stripe.sessions.get(sessionId)).expect(200);
    await warren.deliverMail();
    expect(warren.inbox.to('header.buyer@example.com')).toHaveLength(1);
    expect(warren.inbox.to('victim@example.com')).toHaveLength(0);
  });

  it("When a member's access is revoked (refund, then an admin revoke), then their old JWT no longer opens the members' layer", async () => {
    const before = await request(warren.app).get(`/theses/${DEMO_SLUG}`).set('Cookie', asCookie(memberJwt)).expect(200);
    expect(before.text).toContain('id="members-layer"');
    const purchase = await warren.db.purchase.findFirstOrThrow({ where: { user: { email: MEMBER } } });
    const session = warren.stripe.sessions.get(purchase.checkoutSessionId)!;
    await deliver(warren, 'charge.refunded', warren.stripe.charge(session, 'full')).expect(200);
    const after = await request(warren.app).get(`/theses/${DEMO_SLUG}`).set('Cookie', asCookie(memberJwt)).expect(200);
    expect(after.text).toContain('id="paywall"');
    expect(after.text).not.toContain('id="members-layer"');
    expect(after.headers['cache-control']).toBe('private, no-store');
  });
});
