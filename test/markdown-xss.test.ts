import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { expectStatus, signInByEmail, startWarren, submitForm, type Warren } from './support/harness.ts';
import { thesisForm } from './support/thesis-form.ts';

const ADMIN = 'publisher@example.com';
const PAYLOAD = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '[click me](javascript:alert(3))',
  '<a href="JaVaScRiPt:alert(4)">x</a>',
  '<iframe src="https://evil.example/"></iframe>',
  '<a href="https://example.com/" onclick="steal()">a link</a>',
  '<svg onload=alert(5)>',
  '</script><script>alert(6)</script>',
  '</textarea><script>alert(7)</script>',
].join('\n\n');

/** No executable markup: no script element of ours beyond JSON-LD/local files, no handlers, no javascript: URLs, no iframes. */
function expectHarmless(html: string) {
  const scripts = [...html.matchAll(/<script\b[^>]*>/gi)].map((match) => match[0]);
  for (const tag of scripts) expect(tag).toMatch(/^<script (type="application\/ld\+json"|src="\/public\/[\w-]+(?:\.[0-9a-f]+)?\.js" defer)>$/);
  expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/<[a-z][^>]*(href|src)\s*=\s*["']?\s*javascript:/i);
  expect(html).not.toMatch(/<(iframe|img|svg)\b/i);
  expect(html).not.toContain('alert(6)</script>');
  for (const link of html.matchAll(/<a href="https:\/\/example\.com\/"[^>]*>/g)) expect(link[0]).toContain('rel="noopener noreferrer"');
}

describe('Markdown and text fields with hostile content', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    await warren.db.user.create({ data: { email: ADMIN, createdAt: warren.clock.now() } });
  });
  afterAll(() => warren.close());

  it('When every field carries XSS payloads, then the page, previews, editor, head, JSON-LD and feed render them harmless', async () => {
    const { agent } = await signInByEmail(warren, ADMIN);
    // Header fields are short: the tags that matter in plain text and in JSON inside <script>.
    const line = '<script>alert(1)</script><img src=x onerror=alert(2)></script><script>alert(6)</script>';
    const form = thesisForm({
      slug: 'hostile',
      series: line,
      subject: line,
      title: `Hostile ${line}`,
      tagline: line,
      publicBody: `## Heading ${line}\n\n${PAYLOAD}`,
      publicClosing: `## Closing ${line}\n\n${PAYLOAD}`,
      membersExcerpt: `Excerpt ${line}\n\n${PAYLOAD}`,
      footer: line,
      disclosureCompensation: line,
      disclosureStatement: line,
      stressArgument: [line],
      stressAssumption: [line],
      stressVerdict: ['Valid'],
      signalId: [''],
      signalTitle: [line],
      signalDescription: [line],
      memberTitle: [line],
      memberSummary: [line],
      memberBody: [PAYLOAD],
    });
    expectStatus(await submitForm(agent, '/admin/theses/new', '/admin/theses/new', form as Record<string, string>), 303);
    expectStatus(await submitForm(agent, '/admin/theses/hostile', '/admin/theses/hostile/status', { action: 'publish' }), 303);

    const pages = [
      (await request(warren.app).get('/theses/hostile').expect(200)).text,
      (await agent.get('/admin/theses/hostile/preview').expect(200)).text,
      (await agent.get('/admin/theses/hostile/preview?as=member').expect(200)).text,
      (await agent.get('/admin/theses/hostile').expect(200)).text,
      (await agent.get('/admin/theses').expect(200)).text,
      (await request(warren.app).get('/').expect(200)).text,
    ];
    for (const html of pages) expectHarmless(html);
    // The closing after the offer was rendered too, on the public page and both previews.
    for (const html of pages.slice(0, 3)) expect(html).toContain('<section class="public-closing prose" id="closing">');
    // So was the paywall's excerpt, on the public page and the visitor's preview.
    for (const html of pages.slice(0, 2)) expect(html).toContain('<figure class="members-excerpt">');
    // The member preview did render the members' Markdown, links kept and made safe.
    expect(pages[2]).toContain('<a href="https://example.com/" rel="noopener noreferrer">a link</a>');

    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(pages[0])!;
    expect(JSON.parse(ld[1]).headline).toBe(`Hostile ${line}`);

    const feed = (await request(warren.app).get('/feed.xml').expect(200)).text;
    expect(feed).not.toMatch(/<(script|img|iframe|svg)\b/i);
    expect(feed).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
