import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { APP_URL, DEMO_SLUG, buyThesis, csrfToken, signInByEmail, startWarren, submitForm, expectStatus, waitOutSignInInterval, type Warren } from './support/harness.ts';

const MEMBER = 'member@example.com';

describe('Signing in by e-mail link', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
    const { agent, sessionId } = await buyThesis(warren, MEMBER);
    await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    await warren.deliverMail();
  });
  afterAll(() => warren.close());

  const mailCount = (email: string) => warren.inbox.to(email).length;
  const askForLink = async (fields: Record<string, string>) => {
    await waitOutSignInInterval(warren, fields.email);
    return submitForm(request.agent(warren.app), '/login', '/login', fields);
  };
  const tokenOf = (link: string) => new URL(link, APP_URL).searchParams.get('token')!;

  it('When a known and an unknown address ask for a link, then both see the same page and only the member gets mail', async () => {
    const before = mailCount(MEMBER);
    const known = expectStatus(await askForLink({ email: MEMBER }), 200);
    const unknown = expectStatus(await askForLink({ email: 'stranger@example.com' }), 200);
    // The same page but for the address typed (and the per-request CSRF token of its code form).
    const comparable = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '');
    expect(comparable(unknown.text.replaceAll('stranger@example.com', MEMBER))).toBe(comparable(known.text));
    await warren.deliverMail();
    expect(mailCount(MEMBER)).toBe(before + 1);
    expect(mailCount('stranger@example.com')).toBe(0);
    expect(await warren.db.user.count({ where: { email: 'stranger@example.com' } })).toBe(0);
  });

  it('When the address is malformed or not a string, then the form answers 400 and nothing is queued', async () => {
    const queued = await warren.db.outboxMessage.count();
    for (const email of ['not-an-address', 'a@b.c\r\nBcc: victim@example.com', '']) {
      const res = expectStatus(await askForLink({ email }), 400);
      expect(res.text).toContain('Please enter a valid e-mail address.');
    }
    const agent = request.agent(warren.app);
    const token = csrfToken((await agent.get('/login')).text);
    await agent.post('/login').type('form').send(`email=a%40example.com&email=b%40example.com&_csrf=${token}`).expect(400);
    expect(await warren.db.outboxMessage.count()).toBe(queued);
  });

  it('When the member follows the link, then GET only asks to confirm and POST signs in and goes where they were going', async () => {
    await askForLink({ email: MEMBER, next: `/theses/${DEMO_SLUG}` });
    await warren.deliverMail();
    const link = warren.inbox.latestLink(MEMBER, APP_URL);
    const token = tokenOf(link);

    // A mail scanner's GET must not use the link up.
    const [agent, secondBrowser] = [request.agent(warren.app), request.agent(warren.app)];
    const confirmations = [await agent.get(link).expect(200), await secondBrowser.get(link).expect(200)];
    for (const confirm of confirmations) expect(confirm.text).toContain('Sign me in');
    expect(await warren.db.signInLink.count({ where: { usedAt: { not: null } } })).toBe(0);

    const signedIn = await agent.post('/login/verify').type('form').send({ token, _csrf: csrfToken(confirmations[0].text) }).expect(303);
    expect(signedIn.headers.location).toBe(`/theses/${DEMO_SLUG}`);
    const cookie = signedIn.headers['set-cookie'] + '';
    expect(cookie).toMatch(/warren_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const page = await agent.get(`/theses/${DEMO_SLUG}`).expect(200);
    expect(page.text).toContain('id="members-layer"');

    const again = await secondBrowser
      .post('/login/verify')
      .type('form')
      .send({ token, _csrf: csrfToken(confirmations[1].text) })
      .expect(410);
    expect(again.text).toContain('already been used');
    expect(again.text).toContain('href="/login"');
    expect((await request(warren.app).get(link).expect(410)).text).toContain('already been used');
  });

  it('When the link is older than 15 minutes, then it is refused with a way to ask for a new one', async () => {
    await askForLink({ email: MEMBER });
    await warren.deliverMail();
    const link = warren.inbox.latestLink(MEMBER, APP_URL);
    const agent = request.agent(warren.app);
    const confirm = await agent.get(link).expect(200);
    warren.clock.advance(16 * 60 * 1000);
    const res = await agent.post('/login/verify').type('form').send({ token: tokenOf(link), _csrf: csrfToken(confirm.text) }).expect(410);
    expect(res.text).toContain('has expired');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('When the token is forged, then the page says the link is not valid', async () => {
    const forged = 'A'.repeat(43);
    expect((await request(warren.app).get(`/login/verify?token=${forged}`).expect(400)).text).toContain('not valid');
    const agent = request.agent(warren.app);
    const _csrf = csrfToken((await agent.get('/login')).text);
    await agent.post('/login/verify').type('form').send({ token: forged, _csrf }).expect(400);
    await agent.post('/login/verify').type('form').send(`token=a&token=b&_csrf=${_csrf}`).expect(400);
  });

  it('When a form arrives without its CSRF token or with another one, then 403 and nothing is queued', async () => {
    const queued = await warren.db.outboxMessage.count();
    const missing = await request(warren.app).post('/login').type('form').send({ email: MEMBER }).expect(403);
    expect(missing.text).toContain('did not come from this site');
    const agent = request.agent(warren.app);
    await agent.get('/login');
    const otherToken = csrfToken((await request(warren.app).get('/login')).text);
    await agent.post('/login').type('form').send({ email: MEMBER, _csrf: otherToken }).expect(403);
    await agent.post('/login').type('form').send({ email: MEMBER, _csrf: 'forged' }).expect(403);
    expect(await warren.db.outboxMessage.count()).toBe(queued);
  });

  it('When next points to another site, then sign-in lands on the home page instead', async () => {
    const { confirm } = await signInByEmail(warren, MEMBER, 'https://evil.example/steal');
    expect(confirm.status).toBe(303);
    expect(confirm.headers.location).toBe('/');
    const { confirm: protocolRelative } = await signInByEmail(warren, MEMBER, '//evil.example');
    expect(protocolRelative.headers.location).toBe('/');
  });

  it('When the session cookie is tampered with or uses alg none, then the visitor is anonymous', async () => {
    const user = await warren.db.user.findUniqueOrThrow({ where: { email: MEMBER } });
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { sub: user.id, iss: 'warren', aud: 'warren:session', exp: Math.floor(warren.clock.now().getTime() / 1e3) + 3600 };
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const wrongKeyBody = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    const wrongKey = `${wrongKeyBody}.${createHmac('sha256', 'not-the-secret').update(wrongKeyBody).digest('base64url')}`;
    for (const token of [none, wrongKey, 'garbage']) {
      const page = await request(warren.app).get(`/theses/${DEMO_SLUG}`).set('Cookie', `warren_session=${token}`).expect(200);
      expect(page.text).toContain('id="paywall"');
      expect(page.text).not.toContain('id="members-layer"');
    }
  });

  it('When the member signs out, then the cookie is cleared and the paywall is back', async () => {
    const { agent } = await signInByEmail(warren, MEMBER, `/theses/${DEMO_SLUG}`);
    expect((await agent.get(`/theses/${DEMO_SLUG}`)).text).toContain('id="members-layer"');
    const out = expectStatus(await submitForm(agent, '/', '/logout'), 303);
    expect(out.headers['set-cookie'] + '').toMatch(/warren_session=;/);
    expect((await agent.get(`/theses/${DEMO_SLUG}`)).text).toContain('id="paywall"');
  });
});
