import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createLogger } from '../server/ops/logger.ts';
import { createSiteServer } from '../server/app.ts';
import { DEMO_SLUG, startWarren, type Warren } from './support/harness.ts';

const METRICS_TOKEN = 'metrics-token-for-the-tests';
const thesisPath = `/theses/${DEMO_SLUG}`;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
}

/** A GET over a real socket to the front server (the server main.ts runs). */
function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
      })
      .on('error', reject);
  });
}

describe('Public pages answered from memory are logged and counted like any request', () => {
  let warren: Warren;
  let server: http.Server;
  let base: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    warren = await startWarren({ METRICS_TOKEN, CACHE_HIT_LOG_EVERY: '1' }, { logger: createLogger('info', stream) });
    server = createSiteServer(warren.deps, warren.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await warren.close();
  });

  const metrics = async () => (await request(warren.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
  const sample = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  };
  /** The completion line of the request with this id (written when its response finished, which may follow the client's read). */
  async function lineOf(reqId: string) {
    const find = () => lines.find((line) => line.reqId === reqId && line.msg === 'request completed');
    for (let i = 0; i < 100 && !find(); i++) await new Promise((resolve) => setImmediate(resolve));
    return find();
  }

  it('When two anonymous visitors get the cached thesis page from the front server, then each has its own X-Request-Id and a date, and no cookie is set', async () => {
    await warren.deps.catalog.contentChanged();
    const first = await get(base, thesisPath); // rendered by the full stack, stored
    const second = await get(base, thesisPath); // from memory
    const third = await get(base, thesisPath, { 'x-request-id': 'lb-trace-7' });
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(warren.deps.catalog.publicPages.size).toBe(1);
    expect(second.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(third.headers['x-request-id']).toBe('lb-trace-7');
    expect(second.headers.date).toBeDefined();
    expect(second.headers['set-cookie']).toBeUndefined();
    expect(second.headers['cache-control']).toBe('public, max-age=60');
  });

  it('When the front server answers a page from memory, then /metrics counts it as a hit and as a request of its route, and the log has its line', async () => {
    await warren.deps.catalog.contentChanged();
    const histogram = 'warren_http_request_duration_seconds_count{method="GET",route="/theses/:slug",status_code="200"}';
    const hits = 'warren_public_page_cache_hits_total{route="/theses/:slug"}';
    const before = await metrics();
    await get(base, thesisPath); // stored
    const hit = await get(base, thesisPath);
    const after = await metrics();
    expect(sample(after, hits)).toBe(sample(before, hits) + 1);
    expect(sample(after, histogram)).toBe(sample(before, histogram) + 2);

    const line = await lineOf(String(hit.headers['x-request-id']));
    expect(line).toMatchObject({ level: 30, publicPageCache: 'hit', req: { method: 'GET', url: thesisPath }, res: { statusCode: 200 } });
    expect(lines.filter((l) => l.reqId === hit.headers['x-request-id'])).toHaveLength(1);
  });

  it('When hits are sampled (CACHE_HIT_LOG_EVERY=3), then every hit is counted and one in three is logged, saying so', async () => {
    await warren.deps.catalog.contentChanged();
    const sampling = createSiteServer({ ...warren.deps, config: { ...warren.config, cacheHitLogEvery: 3 } }, warren.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => sampling.once('listening', resolve));
    try {
      const sampledBase = `http://127.0.0.1:${(sampling.address() as AddressInfo).port}`;
      const hits = 'warren_public_page_cache_hits_total{route="/theses/:slug"}';
      const before = sample(await metrics(), hits);
      await get(sampledBase, thesisPath); // stored
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push(String((await get(sampledBase, thesisPath)).headers['x-request-id']));
      expect(sample(await metrics(), hits)).toBe(before + 6);
      const logged = await Promise.all([lineOf(ids[0]), lineOf(ids[3])]);
      for (const line of logged) expect(line).toMatchObject({ publicPageCache: 'hit', sampled: 3 });
      expect(lines.filter((line) => ids.includes(String(line.reqId))).map((line) => line.reqId)).toEqual([ids[0], ids[3]]);
    } finally {
      await new Promise((resolve) => sampling.close(resolve));
    }
  });

  it('When the app itself answers a page from memory, then it too gets its own id, is counted as a hit and logged', async () => {
    await warren.deps.catalog.contentChanged();
    const hits = 'warren_public_page_cache_hits_total{route="/"}';
    const before = sample(await metrics(), hits);
    const stored = await request(warren.app).get('/').expect(200);
    const hit = await request(warren.app).get('/').expect(200);
    expect(hit.text).toBe(stored.text);
    expect(hit.headers['x-request-id']).not.toBe(stored.headers['x-request-id']);
    expect(hit.headers['set-cookie']).toBeUndefined();
    expect(sample(await metrics(), hits)).toBe(before + 1);
    expect(await lineOf(hit.headers['x-request-id'])).toMatchObject({ publicPageCache: 'hit', req: { url: '/' }, res: { statusCode: 200 } });
    expect(await lineOf(stored.headers['x-request-id'])).not.toHaveProperty('publicPageCache');
  });
});
