// The real entry point, as `npm start` runs it: probes, JSON logs and a graceful SIGTERM.
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from './support/test-database.ts';
import { postgresUrl, startAppProcess, type AppProcess } from './support/app-process.ts';
import { startArguments } from '../scripts/build.ts';
import { REPO_ROOT } from '../server/paths.ts';

const METRICS_TOKEN = 'process-metrics-token-0123456789';

describe('The server process', () => {
  let database: TestDatabase;
  let app: AppProcess;
  beforeAll(async () => {
    database = await openTestDatabase();
    app = await startAppProcess({
      NODE_ENV: 'development',
      DATABASE_URL: postgresUrl(database.url, database.schema),
      DEMO_CONTENT: 'true',
      STRIPE_SECRET_KEY: 'sk_test_process',
      STRIPE_WEBHOOK_SECRET: 'whsec_process',
      METRICS_TOKEN,
      LOG_LEVEL: 'info',
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop('SIGKILL');
    await database?.destroy();
  });

  it('When it has started, then it is alive and ready with its mail worker running, and serves metrics to the token holder', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(await ready.json()).toEqual({ ready: true, checks: { database: 'ok', migrations: 'ok', mailWorker: 'ok', process: 'ok' } });
    const metrics = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('warren_process_cpu_seconds_total');
  });

  it('When requests are served, then each is one JSON log line carrying its request id, without tokens, cookies or e-mail addresses', async () => {
    const secretToken = 'SeCrEtToKeN1234567890abcdefghij';
    await fetch(`${app.url}/login/verify?token=${secretToken}`, {
      headers: { 'x-request-id': 'trace-verify-1', cookie: 'warren_session=session-cookie-value' },
    });
    await fetch(`${app.url}/login?next=/x&email=jane.doe@example.com`, { headers: { 'x-request-id': 'trace-login-2' } });
    const lines = () => app.logs.filter((line) => line.reqId === 'trace-verify-1' || line.reqId === 'trace-login-2');
    for (let i = 0; i < 50 && lines().length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));

    const written = JSON.stringify(lines());
    expect(lines().map((line) => (line.req as { url: string }).url)).toEqual([
      '/login/verify?token=[redacted]',
      '/login?next=/x&email=[redacted]',
    ]);
    expect(written).not.toContain(secretToken);
    expect(written).not.toContain('session-cookie-value');
    expect(app.output()).not.toContain('jane.doe@example.com');
    for (const line of app.logs) expect(line).toHaveProperty('level');
    const rawLines = app.output().split('\n').filter((line) => line.includes('trace-verify-1'));
    for (const line of rawLines) expect(line.match(/"reqId"/g)).toHaveLength(1);
  });

  it('When SIGTERM arrives during a request, then the request completes, new connections are refused and the process exits 0', async () => {
    const body = JSON.stringify({ id: 'evt_in_flight', type: 'checkout.session.completed' });
    const socket = connect(app.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.on('data', (chunk) => (response += chunk));
    const socketClosed = new Promise((resolve) => socket.once('close', resolve));
    // Headers and half the body: the request is in flight, its handler waiting for the rest.
    socket.write(`POST /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body.slice(0, 10));
    // A complete round trip on another connection: by its end the server has read the first one.
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    app.child.kill('SIGTERM');
    await waitForLog(app, 'shutting down');
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();

    socket.write(body.slice(10));
    await socketClosed;
    // Answered (Stripe would retry on anything else): 400, as the body carries no valid signature.
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(await app.exited).toBe(0);
    expect(app.logs.map((line) => line.msg)).toContain('shut down cleanly');
  });
});

async function waitForLog(app: AppProcess, text: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (app.logs.some((line) => String(line.msg).includes(text))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no log line "${text}" in:\n${app.output()}`);
}

describe('The container image', () => {
  it('When the image starts, then it runs exactly what `npm start` runs (same bundle, same node flags)', () => {
    const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
    const command = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(command && JSON.parse(command)).toEqual(['node', ...startArguments()]);
  });
});
