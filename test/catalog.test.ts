import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { demoThesis } from '../server/publishing/demo-thesis.ts';
import { seedDemoContentIfEmpty } from '../server/publishing/demo-seed.ts';
import { DEMO_SLUG, startWarren, type Warren } from './support/harness.ts';

/** Text that exists only in the members' layer; none of it may reach a visitor. */
export const membersOnlySnippets = demoThesis.memberSections.map((section) => section.body.slice(0, 40));

describe('Catalog and the public thesis page', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  it('When anyone opens the home page, then the published demo thesis is listed with its en-CA price', async () => {
    const res = await request(warren.app).get('/').expect(200);
    expect(res.text).toContain(demoThesis.title);
    expect(res.text).toContain(`href="/theses/${DEMO_SLUG}"`);
    expect(res.text).toContain('$75 CAD');
  });

  it('When a visitor opens the thesis, then the public layer and the paywall show and the members\' text is absent', async () => {
    const res = await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200);
    expect(res.text).toContain(demoThesis.title);
    expect(res.text).toContain('<h2 id="section-the-mispricing">The Mispricing</h2>');
    for (const item of demoThesis.stressTests) expect(res.text).toContain(item.verdict);
    for (const signal of demoThesis.signals) expect(res.text).toContain(signal.title);
    expect(res.text).toContain('id="paywall"');
    for (const section of demoThesis.memberSections) expect(res.text).toContain(section.title);
    expect(res.text).toContain('Single Thesis — <span class="price">$75 CAD</span>');
    expect(res.text).toContain(`href="/theses/${DEMO_SLUG}/buy"`);
    // The public page carries no per-visitor state, so it can be cached and shared.
    expect(res.headers['set-cookie']).toBeUndefined();
    for (const snippet of membersOnlySnippets) expect(res.text).not.toContain(snippet);
    expect(res.text).not.toContain('id="members-layer"');
  });

  it('When the slug is unknown, then a 404 page in the site\'s look answers, and JSON to a machine', async () => {
    const page = await request(warren.app).get('/theses/no-such-thesis').expect(404);
    expect(page.text).toContain('Page not found');
    expect(page.text).toMatch(/href="\/public\/styles\.[0-9a-f]{12}\.css"/);
    const json = await request(warren.app).get('/theses/no-such-thesis').set('Accept', 'application/json').expect(404);
    expect(json.body).toEqual({ error: expect.stringContaining('could not find') });
  });

  it('When the database already holds a thesis, then the demo content is not inserted again', async () => {
    await warren.db.thesis.update({ where: { slug: DEMO_SLUG }, data: { title: 'Edited by the publisher' } });
    expect(await seedDemoContentIfEmpty(warren.db, warren.clock.now(), warren.config.publisherName)).toBe(false);
    expect(await warren.db.thesis.count()).toBe(1);
    expect((await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } })).title).toBe('Edited by the publisher');
  });
});
