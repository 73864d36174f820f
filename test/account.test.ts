import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { APP_URL, DEMO_SLUG, csrfToken, expectStatus, signInByEmail, startWarren, submitForm, waitOutSignInInterval, type Warren } from './support/harness.ts';
import { verifiedMember } from './support/payments.ts';

const MEMBER = 'account.member@example.com';
const OTHER = 'account.other@example.com';
type Agent = ReturnType<typeof request.agent>;

describe('The member account', () => {
  let warren: Warren;
  let member: Agent;
  let memberJwt: string;
  beforeAll(async () => {
    warren = await startWarren();
    ({ agent: member, jwt: memberJwt } = await verifiedMember(warren, MEMBER));
    await verifiedMember(warren, OTHER);
    await warren.deliverMail();
  });
  afterAll(() => warren.close());

  const codeIn = (text: string) => /\b([A-Z2-9]{4}-[A-Z2-9]{4})\b/.exec(text)![1];
  const askForCode = async (email: string) => {
    await waitOutSignInInterval(warren, email);
    expectStatus(await submitForm(request.agent(warren.app), '/login', '/login', { email, next: '/account' }), 200);
    await warren.deliverMail();
    return codeIn(String(warren.inbox.to(email).at(-1)!.text));
  };
  const typeCode = (agent: Agent, email: string, code: string) => submitForm(agent, '/login', '/login/code', { email, code });

  it('When the receipt e-mail arrives, then it carries a sign-in link and a one-time code', async () => {
    const receipt = warren.inbox.to(MEMBER).find((mail) => mail.subject?.startsWith('Your receipt'))!;
    expect(receipt.text).toContain(`${APP_URL}/login/verify?token=`);
    expect(codeIn(String(receipt.text))).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  });

  it('When a visitor lost access, then the paywall offers one "Already bought it?" line leading to the sign-in form for the thesis', async () => {
    const paywall = await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200);
    const lost = /<p class="small" id="lost-access">Already bought it\? <a href="([^"]+)"/.exec(paywall.text);
    expect(lost).not.toBeNull();
    expect(paywall.text.match(/Already bought it\?/g)).toHaveLength(1);
    expect(paywall.text).not.toContain('Lost access?');
    const form = await request(warren.app).get(lost![1].replace(/&#x3D;/g, '=')).expect(200);
    expect(form.text).toContain(`name="next" value="/theses/${DEMO_SLUG}"`);
  });

  it('When an anonymous visitor opens /account, then they are sent to sign in and come back', async () => {
    const res = await request(warren.app).get('/account').expect(303);
    expect(res.headers.location).toBe('/login?next=%2Faccount');
  });

  it('When the member opens /account, then their thesis and purchase (date, amount in its currency, status, receipt) show, never cached', async () => {
    const page = await member.get('/account').expect(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.text).toContain(`href="/theses/${DEMO_SLUG}#members-layer"`);
    expect(page.text).toContain('$75 CAD');
    expect(page.text).toContain('Paid');
    expect(page.text).toContain('November 26, 2026');
    const purchase = await warren.db.purchase.findFirstOrThrow({ where: { user: { email: MEMBER } } });
    expect(page.text).toContain(`href="/account/purchases/${purchase.id}"`);

    const receipt = await member.get(`/account/purchases/${purchase.id}`).expect(200);
    expect(receipt.text).toContain(purchase.checkoutSessionId);
    expect(receipt.text).toContain(MEMBER);
  });

  it("When a member asks for someone else's receipt, or a malformed id, then 404", async () => {
    const others = await warren.db.purchase.findFirstOrThrow({ where: { user: { email: OTHER } } });
    const res = await member.get(`/account/purchases/${others.id}`).expect(404);
    expect(res.text).not.toContain(OTHER);
    await member.get('/account/purchases/not-a-uuid').expect(404);
  });

  it('When the member turns e-mail alerts off and on, then the preference is stored', async () => {
    expectStatus(await submitForm(member, '/account', '/account/alerts', {}), 303);
    expect((await warren.db.user.findUniqueOrThrow({ where: { email: MEMBER } })).emailAlerts).toBe(false);
    expectStatus(await submitForm(member, '/account', '/account/alerts', { emailAlerts: 'yes' }), 303);
    expect((await warren.db.user.findUniqueOrThrow({ where: { email: MEMBER } })).emailAlerts).toBe(true);
  });

  it('When the member asks for a fresh sign-in link, then one arrives with a link from APP_URL and a code', async () => {
    const before = warren.inbox.to(MEMBER).length;
    await waitOutSignInInterval(warren, MEMBER);
    expectStatus(await submitForm(member, '/account', '/account/sign-in-link'), 200);
    await warren.deliverMail();
    const mail = warren.inbox.to(MEMBER).at(-1)!;
    expect(warren.inbox.to(MEMBER)).toHaveLength(before + 1);
    expect(mail.text).toContain(`${APP_URL}/login/verify?token=`);
    expect(codeIn(String(mail.text))).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  });

  it('When a reader types the code from the e-mail in another browser, then that browser is signed in; the code works once', async () => {
    const code = await askForCode(MEMBER);
    const stored = await warren.db.signInLink.findMany({ where: { user: { email: MEMBER } }, select: { codeHash: true } });
    expect(stored.every((row) => row.codeHash && !row.codeHash.includes(code.replace('-', '')))).toBe(true);
    const browser = request.agent(warren.app);
    const res = expectStatus(await typeCode(browser, MEMBER, code.toLowerCase().replace('-', ' ')), 303);
    expect(res.headers.location).toBe('/account');
    await browser.get('/account').expect(200);
    const again = expectStatus(await typeCode(request.agent(warren.app), MEMBER, code), 400);
    expect(again.text).toContain('not valid or has expired');
  });

  it('When wrong codes are typed five times, then even the right code stops working', async () => {
    const code = await askForCode(MEMBER);
    for (let i = 0; i < 5; i++) expectStatus(await typeCode(request.agent(warren.app), MEMBER, 'AAAA-AAAA'), 400);
    expectStatus(await typeCode(request.agent(warren.app), MEMBER, code), 400);
  });

  it('When the code is older than 15 minutes, then it has expired with its link', async () => {
    const code = await askForCode(MEMBER);
    warren.clock.advance(16 * 60 * 1000);
    expectStatus(await typeCode(request.agent(warren.app), MEMBER, code), 400);
  });

  it('When a code is typed for an unknown address, then the answer is the same as for a wrong code', async () => {
    const res = expectStatus(await typeCode(request.agent(warren.app), 'nobody@example.com', 'ABCD-EFGH'), 400);
    expect(res.text).toContain('not valid or has expired');
  });

  it('When the member signs out everywhere, then every earlier session, here and elsewhere, is anonymous; a new sign-in works', async () => {
    const { agent: laptop } = await signInByEmail(warren, MEMBER, '/account');
    await laptop.get('/account').expect(200);
    const page = await member.get('/account').expect(200);
    const out = await member.post('/account/sign-out-everywhere').type('form').send({ _csrf: csrfToken(page.text) }).expect(303);
    expect(out.headers['set-cookie'] + '').toMatch(/warren_session=;/);

    await laptop.get('/account').expect(303);
    const replay = await request(warren.app).get(`/theses/${DEMO_SLUG}`).set('Cookie', `warren_session=${memberJwt}`).expect(200);
    expect(replay.text).toContain('id="paywall"');
    expect(replay.text).not.toContain('id="members-layer"');

    const { agent: fresh } = await signInByEmail(warren, MEMBER, '/account');
    await fresh.get('/account').expect(200);
  });
});
