import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { renderMarkdown } from '../server/catalog/markdown.ts';
import { MAX_PREVIEW_LENGTH } from '../server/publishing/markdown-preview.ts';
import { DEMO_SLUG, csrfToken, expectStatus, signInByEmail, startWarren, type Warren } from './support/harness.ts';

const ADMIN = 'publisher@example.com';
const READER = 'reader@example.com';
const ENDPOINT = '/admin/theses/markdown-preview.json';
const EDITOR = `/admin/theses/${DEMO_SLUG}`;
type Agent = Awaited<ReturnType<typeof signInByEmail>>['agent'];

describe("The editor's Markdown preview (the Preview tab's endpoint)", () => {
  let warren: Warren;
  let admin: Agent;
  let token: string;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    const createdAt = warren.clock.now();
    await warren.db.user.createMany({ data: [{ email: ADMIN, createdAt }, { email: READER, createdAt }] });
    ({ agent: admin } = await signInByEmail(warren, ADMIN));
    // The editor form's own CSRF field, as public/editor-preview.js sends it.
    token = csrfToken((await admin.get(EDITOR).expect(200)).text);
  });
  afterAll(() => warren.close());

  const preview = (fields: Record<string, string | string[]>, agent: Agent = admin) =>
    agent.post(ENDPOINT).type('form').set('Accept', 'application/json').send(new URLSearchParams(
      Object.entries({ _csrf: token, ...fields }).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((one) => [name, one])),
    ).toString());

  /** What a preview must never change: the theses, their revisions and the mail queued. */
  const stored = async () => ({
    theses: await warren.db.thesis.findMany({ orderBy: { id: 'asc' } }),
    revisions: await warren.db.thesisRevision.count(),
    outbox: await warren.db.outboxMessage.count(),
  });

  it('When the admin previews Markdown with a heading and emphasis, then the answer is JSON holding the rendered HTML', async () => {
    const res = expectStatus(await preview({ markdown: '## Fresh heading\n\nSome **bold** and *leaning* words.' }), 200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body).toEqual({ html: '<h2>Fresh heading</h2>\n<p>Some <strong>bold</strong> and <em>leaning</em> words.</p>\n' });
  });

  it('When the Markdown carries script and event handlers, then they are stripped exactly as on the public page', async () => {
    const markdown = 'Before <script>alert(1)</script> after.\n\n<img src=x onerror=alert(2)>\n\n<a href="https://example.com/" onclick="steal()">a link</a>';
    const { body } = expectStatus(await preview({ markdown }), 200);
    expect(body.html).not.toMatch(/<script|<img|onerror|onclick|alert\(1\)/i);
    expect(body.html).toContain('<a href="https://example.com/" rel="noopener noreferrer">a link</a>');
    // The public page's renderer and sanitiser (catalog/markdown.ts), not a look-alike.
    expect(body.html).toBe(renderMarkdown(markdown));
  });

  it('When the Markdown is as long as the longest field allows, then it is rendered; one character more is refused with 400 JSON and nothing changes', async () => {
    const before = await stored();
    expectStatus(await preview({ markdown: 'a'.repeat(MAX_PREVIEW_LENGTH) }), 200);
    const res = expectStatus(await preview({ markdown: 'a'.repeat(MAX_PREVIEW_LENGTH + 1) }), 400);
    expect(res.body).toEqual({ error: 'This text is too long to preview: at most 200,000 characters.' });
    expect(await stored()).toEqual(before);
  });

  it('When the markdown field is missing or sent twice, then the answer is 400 JSON saying what to send, whatever the request accepts, and nothing changes', async () => {
    const before = await stored();
    for (const fields of [{}, { markdown: ['one', 'two'] }] as Record<string, string[]>[]) {
      // A browser's default Accept prefers HTML: the `.json` address still answers JSON.
      const res = expectStatus(await preview(fields).set('Accept', 'text/html'), 400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ error: 'Send the Markdown to preview as one text field named "markdown".' });
    }
    expect(await stored()).toEqual(before);
  });

  it('When the request carries no valid CSRF token, then it is refused with 403 JSON and nothing is rendered', async () => {
    for (const _csrf of ['', 'forged-token']) {
      const res = expectStatus(await preview({ markdown: '## Hello', _csrf }).set('Accept', 'text/html'), 403);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error).toMatch(/did not come from this site/);
      expect(res.body.html).toBeUndefined();
    }
  });

  it('When a signed-in member who is not an admin asks, with a valid token, then it is refused with 403 and nothing is rendered', async () => {
    const { agent: reader } = await signInByEmail(warren, READER);
    const _csrf = csrfToken((await reader.get('/').expect(200)).text);
    const res = expectStatus(await preview({ markdown: '## Hello', _csrf }, reader), 403);
    expect(res.body).toEqual({ error: 'This area is for the publisher only.' });
  });

  it('When a visitor who is not signed in asks, with a valid token, then it is refused with 401 and nothing is rendered', async () => {
    const visitor = request.agent(warren.app);
    const _csrf = csrfToken((await visitor.get('/login').expect(200)).text);
    const res = expectStatus(await preview({ markdown: '## Hello', _csrf }, visitor), 401);
    expect(res.body).toEqual({ error: 'Please sign in as an administrator first.' });
  });
});
