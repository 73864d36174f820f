import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { WEBHOOK_SECRET, postWebhook, startWarren, type Warren } from './support/harness.ts';

const METRICS_TOKEN = 'metrics-token-for-the-tests';

/** What the webhook route attaches for itself (raw body, JSON errors, failure count) and what stays with every other route (CSRF). */
describe('Middleware a route attaches itself', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ METRICS_TOKEN });
  });
  afterAll(() => warren.close());

  const metrics = async () => (await request(warren.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
  const sample = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  };

  it('When a signed event arrives with a form content type, then the webhook still verifies the raw bytes and answers 200', async () => {
    const signed = warren.stripe.signedEvent('customer.created', { id: 'cus_form' }, WEBHOOK_SECRET);
    const res = await request(warren.app)
      .post('/webhooks/stripe')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('Stripe-Signature', signed.signature)
      .send(signed.body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
  });

  it('When a webhook is refused to a client that accepts HTML, then the answer is JSON, counted under the route pattern and as a webhook failure', async () => {
    const before = await metrics();
    const forged = warren.stripe.signedEvent('customer.created', { id: 'cus_x' }, 'whsec_not_ours');
    const res = await postWebhook(warren, forged).set('Accept', 'text/html');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: 'invalid signature' });

    const after = await metrics();
    const histogram = 'warren_http_request_duration_seconds_count{method="POST",route="/webhooks/stripe",status_code="400"}';
    expect(sample(after, histogram)).toBe(sample(before, histogram) + 1);
    const failures = 'warren_webhook_failures_total{status_code="400"}';
    expect(sample(after, failures)).toBe(sample(before, failures) + 1);
  });

  it('When a form is posted without a CSRF token anywhere but the webhook and one-click unsubscribe, then 403 as an HTML page', async () => {
    const login = await request(warren.app).post('/login').type('form').send({ email: 'reader@example.com' }).set('Accept', 'text/html');
    expect(login.status).toBe(403);
    expect(login.headers['content-type']).toMatch(/^text\/html/);
    // The unsubscribe route is reached without a token (its signed link authorises it): a bad link is its own 400.
    const unsubscribe = await request(warren.app).post('/unsubscribe?token=not-a-signed-token').type('form').send('List-Unsubscribe=One-Click');
    expect(unsubscribe.status).toBe(400);
  });

  it('When any page is served, then its form-action allows Stripe Checkout and the configured API base, as the checkout feature says', async () => {
    const csp = String((await request(warren.app).get('/').expect(200)).headers['content-security-policy']);
    const formAction = csp.split(';').map((directive) => directive.trim()).find((directive) => directive.startsWith('form-action'));
    expect(formAction).toBe(`form-action 'self' https://checkout.stripe.com ${new URL(warren.stripe.url).origin}`);
  });

  it('When a static file is served, then it is counted under the label its router sets', async () => {
    await request(warren.app).get('/public/styles.css').expect(200);
    expect(sample(await metrics(), 'warren_http_request_duration_seconds_count{method="GET",route="/public/*",status_code="200"}')).toBeGreaterThan(0);
  });
});
