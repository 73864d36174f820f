import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPublicPageCache } from '../server/http/public-page-cache.ts';
import { TestClock } from './support/harness.ts';

/** An app whose every page is public and says how many times it was rendered. */
function countingSite(clock: TestClock, options: { maxAgeMs?: number; maxEntries?: number } = {}) {
  const pages = createPublicPageCache({ clock, ...options });
  const rendered: string[] = [];
  const app = express();
  app.use(pages.middleware);
  app.get('/:page', (req, res) => {
    rendered.push(req.params.page);
    res.set('Cache-Control', 'public, max-age=60').send(`${req.params.page} #${rendered.length}`);
  });
  return { app, rendered };
}

describe('The public page cache (its storage: lru-cache on the injected clock)', () => {
  it('When a page is older than the maximum age on the injected clock, then the full stack renders it again', async () => {
    const clock = new TestClock();
    const { app, rendered } = countingSite(clock, { maxAgeMs: 60_000 });
    expect((await request(app).get('/a')).text).toBe('a #1');
    clock.advance(60_000);
    expect((await request(app).get('/a')).text).toBe('a #1');
    clock.advance(1);
    expect((await request(app).get('/a')).text).toBe('a #2');
    expect(rendered).toEqual(['a', 'a']);
  });

  it('When the cache is full, then the least recently served page goes, not the first stored', async () => {
    const { app, rendered } = countingSite(new TestClock(), { maxEntries: 2 });
    for (const page of ['a', 'b', 'a', 'c', 'a', 'b']) await request(app).get(`/${page}`);
    expect(rendered).toEqual(['a', 'b', 'c', 'b']);
  });
});

describe('The public page cache (what it keeps)', () => {
  it('When a page is stored, then the headers that belong to its one response (request id, date) are not replayed', async () => {
    const pages = createPublicPageCache({ clock: new TestClock() });
    const app = express();
    app.use(pages.middleware);
    let served = 0;
    app.get('/', (_req, res) => {
      served++;
      res.set({ 'Cache-Control': 'public, max-age=60', 'X-Request-Id': `request-${served}`, Date: `Thu, 26 Nov 2026 12:00:0${served} GMT` }).send('page');
    });
    expect((await request(app).get('/')).headers['x-request-id']).toBe('request-1');
    const hit = await request(app).get('/');
    expect(served).toBe(1);
    expect(hit.text).toBe('page');
    expect(hit.headers['x-request-id']).toBeUndefined();
    expect(hit.headers.date).not.toBe('Thu, 26 Nov 2026 12:00:01 GMT');
  });
});
