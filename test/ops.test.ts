import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import request from 'supertest';
import { createReadinessCheck } from '../server/ops/readiness.ts';
import { DEMO_SLUG, WEBHOOK_SECRET, buyThesis, postWebhook, startWarren, type Warren } from './support/harness.ts';

const METRICS_TOKEN = 'metrics-token-for-the-tests';

describe('Health, readiness and metrics', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ METRICS_TOKEN });
  });
  afterAll(() => warren.close());

  const scrape = () => request(warren.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
  const sample = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('When anyone asks /healthz, then it answers 200 without cookies or caching', async () => {
    const res = await request(warren.app).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('When a request carries a plain X-Request-Id, then it is echoed; otherwise a fresh id is given', async () => {
    const given = await request(warren.app).get('/healthz').set('X-Request-Id', 'lb-1234.abc').expect(200);
    expect(given.headers['x-request-id']).toBe('lb-1234.abc');
    const hostile = await request(warren.app).get('/healthz').set('X-Request-Id', 'a b <script>').expect(200);
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const none = await request(warren.app).get('/').expect(200);
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('When the database is migrated and reachable, then /readyz answers 200 with every check ok', async () => {
    const res = await request(warren.app).get('/readyz').expect(200);
    expect(res.body).toEqual({ ready: true, checks: { database: 'ok', migrations: 'ok', mailWorker: 'ok', process: 'ok' } });
  });

  it('When the mail worker is not running, then readiness fails and says why', async () => {
    const report = await createReadinessCheck({ database: warren.database, mailWorkerRunning: () => false, shutdown: { stopping: false } })();
    expect(report).toEqual({ ready: false, checks: { database: 'ok', migrations: 'ok', mailWorker: 'stopped', process: 'ok' } });
  });

  it('When /metrics is asked without the bearer token or with a wrong one, then it answers 401 and shows nothing', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token', `Basic ${METRICS_TOKEN}`]) {
      const req = request(warren.app).get('/metrics').set('Accept', 'text/plain');
      if (authorization) req.set('Authorization', authorization);
      const res = await req.expect(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.text).not.toContain('warren_');
    }
  });

  it('When pages are served and a thesis is bought, then latency is labelled by route pattern and checkouts and purchases are counted', async () => {
    await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200);
    const { agent, sessionId } = await buyThesis(warren, 'metrics.buyer@example.com');
    await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);

    const text = (await scrape()).text;
    expect(text).toContain('warren_http_request_duration_seconds_count{method="GET",route="/theses/:slug",status_code="200"}');
    expect(text).not.toContain(`route="/theses/${DEMO_SLUG}"`);
    expect(sample(text, 'warren_checkouts_created_total')).toBe(1);
    expect(sample(text, 'warren_purchases_fulfilled')).toBe(1);
    // The receipt waits in the outbox until the worker runs: depth 1, aged by the test clock.
    expect(sample(text, 'warren_outbox_depth{status="pending"}')).toBe(1);
    const age = sample(text, 'warren_outbox_oldest_age_seconds')!;
    warren.clock.advance(90_000);
    expect(sample((await scrape()).text, 'warren_outbox_oldest_age_seconds')).toBeCloseTo(age + 90, 0);
    await warren.deliverMail();
    const after = (await scrape()).text;
    expect(sample(after, 'warren_outbox_depth{status="pending"}')).toBe(0);
    expect(sample(after, 'warren_outbox_oldest_age_seconds')).toBe(0);
    expect(sample(after, 'warren_sse_streams_open')).toBe(0);
  });

  it('When a webhook is refused, then webhook failures are counted by status', async () => {
    const before = sample((await scrape()).text, 'warren_webhook_failures_total{status_code="400"}') ?? 0;
    const signed = warren.stripe.signedEvent('checkout.session.completed', { id: 'cs_x' }, 'whsec_not_ours');
    await postWebhook(warren, signed).expect(400);
    const ok = warren.stripe.signedEvent('customer.created', { id: 'cus_1' }, WEBHOOK_SECRET);
    await postWebhook(warren, ok).expect(200);
    expect(sample((await scrape()).text, 'warren_webhook_failures_total{status_code="400"}')).toBe(before + 1);
  });

  it('When a migration the code ships with is missing from the database, then /readyz answers 503 naming it', async () => {
    const [latest] = await warren.db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM ${warren.database.schema ? `"${warren.database.schema}".` : ''}_prisma_migrations ORDER BY migration_name DESC LIMIT 1`,
    );
    await warren.db.$executeRawUnsafe(
      `UPDATE ${warren.database.schema ? `"${warren.database.schema}".` : ''}_prisma_migrations SET rolled_back_at = finished_at WHERE migration_name = '${latest.migration_name}'`,
    );
    const res = await request(warren.app).get('/readyz').expect(503);
    expect(res.body.checks.migrations).toBe(`pending: ${latest.migration_name}`);
  });

  it('When shutdown begins, then /readyz answers 503 so the load balancer stops sending traffic, and the hooks run once', async () => {
    const calls: string[] = [];
    warren.shutdown.onShutdown('test hook', () => void calls.push('ran'));
    warren.shutdown.onShutdown('failing hook', () => {
      throw new Error('a failing hook does not stop the others');
    });
    warren.shutdown.onShutdown('later hook', () => void calls.push('later'));
    await warren.shutdown.run(pino({ level: 'silent' }));
    expect(calls).toEqual(['ran', 'later']);
    const res = await request(warren.app).get('/readyz').expect(503);
    expect(res.body.checks.process).toBe('shutting down');
  });
});

describe('Metrics without a token configured', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  it('When METRICS_TOKEN is unset, then /metrics does not exist', async () => {
    await request(warren.app).get('/metrics').set('Accept', 'application/json').expect(404);
    await request(warren.app).get('/metrics').set('Authorization', 'Bearer anything-at-all-here').expect(404);
  });
});
