import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { demoThesis } from '../server/publishing/demo-thesis.ts';
import { createPublicRenderCache } from '../server/catalog/public-render-cache.ts';
import { useViews } from '../server/http/views.ts';
import { errorHandler } from '../server/http/error-handler.ts';
import { APP_URL, DEMO_SLUG, signInByEmail, startWarren, type Warren } from './support/harness.ts';

/** Text that exists only in the members' layer. */
const membersOnlySnippets = demoThesis.memberSections.map((section) => section.body.slice(0, 40));

/** The JSON-LD objects of a page. */
function jsonLd(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((match) => JSON.parse(match[1]));
}
const headOf = (html: string) => html.slice(0, html.indexOf('</head>'));

describe('The public site for readers and search engines', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  it('When a visitor opens a thesis, then the head carries title, description, canonical, Open Graph, Twitter and paywall JSON-LD', async () => {
    const res = await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200);
    const head = headOf(res.text);
    expect(head).toContain(`<title>${demoThesis.title} · ${warren.config.publisherName}</title>`);
    expect(head).toContain(`<meta name="description" content="${demoThesis.tagline}">`);
    expect(head).toContain(`<link rel="canonical" href="${APP_URL}/theses/${DEMO_SLUG}">`);
    expect(head).toContain(`<meta property="og:title" content="${demoThesis.title}">`);
    expect(head).toContain(`<meta property="og:url" content="${APP_URL}/theses/${DEMO_SLUG}">`);
    expect(head).toContain('<meta property="og:type" content="article">');
    expect(head).toContain('<meta name="twitter:card" content="summary">');
    const [article] = jsonLd(res.text);
    expect(article).toMatchObject({
      '@type': 'Article',
      headline: demoThesis.title,
      isAccessibleForFree: false,
      hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: '.paywalled' },
    });
    // The selector names the block that stands where the members' layer would be.
    expect(res.text).toMatch(/<section class="paywall paywalled" id="paywall"/);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('When a visitor opens a thesis, then a table of contents links every public section, and the disclosure sits above the paywall', async () => {
    const res = await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200);
    expect(res.text).toContain('<a href="#section-the-mispricing">The Mispricing</a>');
    expect(res.text).toContain('<h2 id="section-the-mispricing">The Mispricing</h2>');
    const disclosure = res.text.indexOf('id="disclosure"');
    expect(disclosure).toBeGreaterThan(0);
    expect(disclosure).toBeLessThan(res.text.indexOf('id="paywall"'));
    expect(res.text).toContain('Neither the author nor the publisher holds a position in Cerebras Systems.');
    expect(res.text).toContain('not personalised investment advice');
  });

  it('When the feed, sitemap and robots.txt are read, then they list the public layer only and keep crawlers out of private paths', async () => {
    const feed = await request(warren.app).get('/feed.xml').expect(200);
    expect(feed.headers['content-type']).toContain('application/rss+xml');
    expect(feed.text).toContain(`<link>${APP_URL}/theses/${DEMO_SLUG}</link>`);
    expect(feed.text).toContain(`<title>${demoThesis.title}</title>`);
    const sitemap = await request(warren.app).get('/sitemap.xml').expect(200);
    expect(sitemap.text).toContain(`<loc>${APP_URL}/theses/${DEMO_SLUG}</loc>`);
    for (const snippet of membersOnlySnippets) {
      expect(feed.text).not.toContain(snippet);
      expect(sitemap.text).not.toContain(snippet);
    }
    const robots = await request(warren.app).get('/robots.txt').expect(200);
    for (const path of ['/admin', '/account', '/checkout', '/login']) expect(robots.text).toContain(`Disallow: ${path}\n`);
    expect(robots.text).toContain(`Sitemap: ${APP_URL}/sitemap.xml`);
  });

  it('When a member reads the thesis, then the members\' layer is in the body but never in the head, meta tags or JSON-LD', async () => {
    const thesis = await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
    const user = await warren.db.user.create({ data: { email: 'member@example.com', createdAt: warren.clock.now() } });
    await warren.db.entitlement.create({ data: { userId: user.id, thesisId: thesis.id, createdAt: warren.clock.now(), updatedAt: warren.clock.now() } });
    const { agent } = await signInByEmail(warren, 'member@example.com');
    const res = await agent.get(`/theses/${DEMO_SLUG}`).expect(200);
    expect(res.text).toContain(membersOnlySnippets[0]);
    expect(res.text).toMatch(/<section class="members-layer paywalled" id="members-layer">/);
    const head = headOf(res.text);
    const ld = JSON.stringify(jsonLd(res.text));
    for (const snippet of membersOnlySnippets) {
      expect(head).not.toContain(snippet);
      expect(ld).not.toContain(snippet);
    }
    for (const section of demoThesis.memberSections) expect(head).not.toContain(section.body.slice(0, 20));
  });

  it('When an unknown page is asked for, then a 404 page in the site\'s look answers', async () => {
    const res = await request(warren.app).get('/no/such/page').expect(404);
    expect(res.text).toContain('Error 404');
    expect(res.text).toContain('Page not found');
    expect(res.text).toMatch(/href="\/public\/styles\.[0-9a-f]{12}\.css"/);
  });

  it('When a request fails unexpectedly, then the 500 page shows no stack, no error message and the site\'s look', async () => {
    const app = express();
    useViews(app, { cache: false, assetUrl: (name) => `/public/${name}` });
    app.get('/boom', () => {
      throw new Error('database password is hunter2 at Object.<anonymous> (/srv/secret.ts:1:1)');
    });
    app.use(errorHandler(pino({ level: 'silent' })));
    const res = await request(app).get('/boom').expect(500);
    expect(res.text).toContain('Something went wrong on our side');
    expect(res.text).toContain('href="/public/styles.css"');
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toContain('secret.ts');
    expect(res.text).not.toMatch(/at \w+ \(/);
  });

  it('When the same revision is asked for again, then the public layer is rendered once and reused until the revision changes', async () => {
    let renders = 0;
    const cache = createPublicRenderCache(async (id) => {
      renders++;
      return { view: { revision: id === 'a' ? revisionA : 1 } as never, head: `head ${renders}` };
    });
    let revisionA = 1;
    await cache.get({ id: 'a', revision: 1 });
    await cache.get({ id: 'a', revision: 1 });
    expect(renders).toBe(1);
    revisionA = 2;
    expect((await cache.get({ id: 'a', revision: 2 }))?.head).toBe('head 2');
    await cache.get({ id: 'a', revision: 2 });
    expect(renders).toBe(2);
    expect(cache.size).toBe(1);
  });
});
