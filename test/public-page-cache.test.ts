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
