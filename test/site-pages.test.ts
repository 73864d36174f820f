import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, buyThesis, csrfToken, signInByEmail, startInstance, startWarren, submitForm, type Warren } from './support/harness.ts';
import { MAX_PAGE_LENGTH } from '../server/pages/site-pages.ts';
import { openDatabase } from '../server/db/database.ts';
import { countStatements } from '../server/db/query-count.ts';

const ADMIN = 'publisher@example.com';
const READER = 'reader@example.com';
const CONTACT = 'hello@northern-ledger.test';

const DEFAULTS = [
  { path: '/terms', heading: 'Terms of sale', says: 'There is no subscription and nothing renews.' },
  { path: '/refunds', heading: 'Refund policy', says: 'We refund the extra payment automatically.' },
  { path: '/privacy', heading: 'Privacy', says: 'We do not sell your data' },
  { path: '/contact', heading: 'Contact', says: `href="mailto:${CONTACT}"` },
];

describe('Terms, refund policy, privacy and contact pages', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN, CONTACT_EMAIL: CONTACT });
    await warren.db.user.create({ data: { email: READER, createdAt: warren.clock.now() } });
  });
  afterAll(() => warren.close());

  const adminAgent = async () => (await signInByEmail(warren, ADMIN)).agent;

  it('When nothing was saved yet, then each page shows its default text, cacheable like other public pages', async () => {
    for (const page of DEFAULTS) {
      const res = await request(warren.app).get(page.path).expect(200);
      expect(res.text, page.path).toContain(`<h1>${page.heading}</h1>`);
      expect(res.text, page.path).toContain(page.says);
      expect(res.headers['cache-control'], page.path).toBe('public, max-age=60');
    }
  });

  it('When no contact address is configured, then the contact page uses the first admin e-mail', async () => {
    const other = await startWarren({ ADMIN_EMAILS: `first@example.com,second@example.com`, CONTACT_EMAIL: undefined });
    try {
      const res = await request(other.app).get('/contact').expect(200);
      expect(res.text).toContain('href="mailto:first@example.com"');
    } finally {
      await other.close();
    }
  });

  it('When the publisher\'s name holds Markdown or HTML characters, then the default pages show it as written', async () => {
    const name = 'Lapin <Labs> & *Co* [1](https://example.com)';
    const other = await startWarren({ PUBLISHER_NAME: name });
    try {
      const res = await request(other.app).get('/terms').expect(200);
      expect(res.text).toContain('buy a thesis from Lapin &lt;Labs&gt; &amp; *Co* [1](https://example.com), an independent');
      expect(res.text).not.toContain('<em>Co</em>');
    } finally {
      await other.close();
    }
  });

  it('When every page is footed, then the footer links the four pages', async () => {
    const res = await request(warren.app).get('/').expect(200);
    const footer = res.text.slice(res.text.indexOf('<footer'));
    for (const path of ['/terms', '/refunds', '/privacy', '/contact']) expect(footer).toContain(`href="${path}"`);
  });

  it('When a visitor is about to pay, then the buy page links the terms of sale and the refund policy', async () => {
    const res = await request(warren.app).get(`/theses/${DEMO_SLUG}/buy`).expect(200);
    const form = res.text.slice(res.text.indexOf('<form'), res.text.indexOf('</form>'));
    expect(form).toMatch(/<a href="\/terms">terms of sale<\/a>/);
    expect(form).toMatch(/<a href="\/refunds">refund policy<\/a>/);
  });

  it('When a paid checkout cannot be matched to a thesis, then the 409 page links the contact page', async () => {
    const { agent, sessionId } = await buyThesis(warren, 'mismatch@example.com');
    const session = warren.stripe.sessions.get(sessionId)!;
    session.metadata = { thesisId: '00000000-0000-4000-8000-000000000000' };
    const res = await agent.get(`/checkout/success?session_id=${sessionId}`).expect(409);
    expect(res.text).toContain('Please contact us; nothing was lost.');
    expect(res.text).toContain('<a href="/contact">Contact us</a>');
  });

  it('When the admin lists the pages, then each is linked to its edit form, shown as the default', async () => {
    const agent = await adminAgent();
    const res = await agent.get('/admin/pages').expect(200);
    for (const key of ['terms', 'refunds', 'privacy', 'contact']) expect(res.text).toContain(`href="/admin/pages/${key}"`);
    expect(res.text).toContain('the default');
    expect((await agent.get('/admin').expect(200)).text).toContain('href="/admin/pages"');
  });

  it('When the admin saves new text, then the public page shows it at once, sanitised', async () => {
    const warm = await request(warren.app).get('/refunds').expect(200);
    expect(warm.text).toContain('We refund the extra payment automatically.');
    const agent = await adminAgent();
    const markdown = '## Our refunds\n\nAsk within **30 days**.\n\n<script>alert("x")</script>\n\n[mail](javascript:alert(1))';
    const saved = await submitForm(agent, '/admin/pages/refunds', '/admin/pages/refunds', { markdown });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/admin/pages/refunds?saved=1');

    const res = await request(warren.app).get('/refunds').expect(200);
    expect(res.text).toContain('<h2>Our refunds</h2>');
    expect(res.text).toContain('Ask within <strong>30 days</strong>.');
    expect(res.text).not.toContain('We refund the extra payment automatically.');
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).not.toContain('javascript:');
    const row = await warren.db.sitePage.findUniqueOrThrow({ where: { key: 'refunds' } });
    expect(row).toMatchObject({ updatedBy: ADMIN, updatedAt: warren.clock.now() });
    expect((await agent.get('/admin/pages/refunds').expect(200)).text).toContain(`by ${ADMIN}`);
  });

  describe('When the text is refused, then the field says why and nothing changes', () => {
    const cases = [
      ['empty', '   \n  ', 'The page text is empty'],
      ['too long', 'x'.repeat(MAX_PAGE_LENGTH + 1), `the most is ${MAX_PAGE_LENGTH.toLocaleString('en-CA')}`],
    ] as const;
    for (const [what, markdown, message] of cases) {
      it(`(${what})`, async () => {
        const agent = await adminAgent();
        const before = await request(warren.app).get('/privacy').expect(200);
        const res = await submitForm(agent, '/admin/pages/privacy', '/admin/pages/privacy', { markdown });
        expect(res.status).toBe(400);
        expect(res.text).toMatch(new RegExp(`id="markdown-error"[^>]*>Nothing was saved\\. [^<]*${message}`));
        expect(res.text).toContain('aria-describedby="markdown-error"');
        expect(await warren.db.sitePage.count({ where: { key: 'privacy' } })).toBe(0);
        expect((await request(warren.app).get('/privacy').expect(200)).text).toBe(before.text);
      });
    }
  });

  it('When the address names no site page, then 404 and nothing is stored', async () => {
    const agent = await adminAgent();
    const res = await submitForm(agent, '/admin/pages', '/admin/pages/about', { markdown: 'About us' });
    expect(res.status).toBe(404);
    expect(await warren.db.sitePage.count({ where: { key: 'about' } })).toBe(0);
  });

  it('When a signed-in reader posts new text, then 403 and the page stays as it was', async () => {
    const { agent } = await signInByEmail(warren, READER);
    const _csrf = csrfToken((await agent.get('/').expect(200)).text);
    const res = await agent.post('/admin/pages/terms').type('form').send({ _csrf, markdown: 'Everything is free.' });
    expect(res.status).toBe(403);
    expect(await warren.db.sitePage.count({ where: { key: 'terms' } })).toBe(0);
    const terms = await request(warren.app).get('/terms').expect(200);
    expect(terms.text).not.toContain('Everything is free.');
    expect(terms.text).toContain('There is no subscription and nothing renews.');
  });

  it('When a page is read again, then it comes from memory; a save on another instance shows here after its next poll', async () => {
    const counting = await openDatabase(warren.database.url, { schema: warren.database.schema, countQueries: true });
    const other = await startInstance(warren, { database: { ...warren.database, prisma: counting.prisma } });
    try {
      const first = await countStatements(() => other.deps.sitePages.find('contact'));
      expect(first.statements).toBeGreaterThan(0);
      const again = await countStatements(() => other.deps.sitePages.find('contact'));
      expect(again).toEqual({ result: first.result, statements: 0 });

      await warren.deps.sitePages.save('contact', 'Write to the **new** desk.', ADMIN);
      await other.deps.changes.poll();
      expect((await other.deps.sitePages.find('contact')).html).toContain('Write to the <strong>new</strong> desk.');
    } finally {
      await other.close();
      await counting.close();
    }
  });
});
