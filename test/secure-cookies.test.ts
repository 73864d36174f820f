import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ATTESTED, DEMO_SLUG, csrfToken, startWarren, type Warren } from './support/harness.ts';

describe('A site served over HTTPS', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ APP_URL: 'https://warren.test' });
  });
  afterAll(() => warren.close());

  it('When a buyer is signed in, then the checkout and session cookies are __Host- prefixed, Secure, HttpOnly, host-only and path /', async () => {
    // Secure cookies are not sent back over the test's plain HTTP by an agent, so the CSRF cookie is carried by hand.
    const page = await request(warren.app).get(`/theses/${DEMO_SLUG}/buy`).expect(200);
    const csrfCookie = String([page.headers['set-cookie']].flat()[0]).split(';')[0];
    expect(csrfCookie).toMatch(/^__Host-warren_csrf=/);
    const attempt = /name="attempt" value="([^"]+)"/.exec(page.text)![1];
    const checkout = await request(warren.app)
      .post(`/theses/${DEMO_SLUG}/checkout`)
      .set('Cookie', csrfCookie)
      .type('form')
      .send({ attempt, ...ATTESTED, _csrf: csrfToken(page.text) })
      .expect(303);
    const checkoutCookie = [checkout.headers['set-cookie']].flat().find((value) => String(value).includes('warren_checkout='))!;
    expect(checkoutCookie).toMatch(/^__Host-warren_checkout=[^;]+; Max-Age=86400; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
    const sessionId = new URL(checkout.headers.location).pathname.split('/').pop()!;
    warren.stripe.pay(sessionId, 'secure@example.com');
    const success = await request(warren.app)
      .get(`/checkout/success?session_id=${sessionId}`)
      .set('Cookie', checkoutCookie.split(';')[0])
      .expect(200);
    const cookie = [success.headers['set-cookie']].flat().find((value) => String(value).includes('warren_session='))!;
    expect(cookie).toMatch(/^__Host-warren_session=/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it('When any page is served, then HSTS is sent and the CSP upgrades insecure requests', async () => {
    const res = await request(warren.app).get('/').expect(200);
    expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});
