import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { buyThesis, expectStatus, startWarren, submitForm, type Warren } from './support/harness.ts';
import { ADMIN, signInAdmin } from './support/signals.ts';
import { thesisForm } from './support/thesis-form.ts';
import { submittedFields } from './support/editor-form.ts';
import { storedThesisState } from './support/stored-thesis.ts';
import { formatInstant } from '../server/http/dates.ts';
import { contentOf, findThesisForEditing } from '../server/publishing/publishing.repo.ts';
import { contentFromSnapshot } from '../server/publishing/thesis-content.ts';

type Agent = Awaited<ReturnType<typeof signInAdmin>>;

const SLUG = 'offer-wall';
const DAY = 24 * 60 * 60 * 1000;
/** Members' bodies of a known size; each word is unique, so a leaked word would be found. */
const words = (count: number, tag: string) => Array.from({ length: count }, (_, i) => `${tag}${i}`).join(' ');
const SIZING_WORDS = 1234;
const TIMING_WORDS = 57;

/** The element with this class, up to its closing tag (no nesting of the same tag inside). */
function block(html: string, tag: string, className: string): string {
  return new RegExp(`<${tag} class="${className}"[\\s\\S]*?</${tag}>`).exec(html)?.[0] ?? '';
}

describe('The offer under the tagline and what the paywall answers', () => {
  let warren: Warren;
  let admin: Agent;
  let sectionChangedOn: Date | undefined;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN, PUBLISHER_NAME: 'Harbourline Research' });
    admin = await signInAdmin(warren);
    const form = thesisForm({
      slug: SLUG,
      price: '120.00',
      memberBody: [words(SIZING_WORDS, 'sizingword'), words(TIMING_WORDS - 20, 'timingword')],
      membersExcerpt: 'Scout band: **half a percent**.\n\n<script>alert("excerpt")</script><img src=x onerror=alert(2)>',
    });
    expectStatus(await submitForm(admin, '/admin/theses/new', '/admin/theses/new', form as Record<string, string>), 303);
    expectStatus(await submitForm(admin, `/admin/theses/${SLUG}`, `/admin/theses/${SLUG}/status`, { action: 'publish' }), 303);
    // Two signal updates, three days apart, then a section change: three entries on the record.
    const thesis = await warren.db.thesis.findUniqueOrThrow({ where: { slug: SLUG }, include: { signals: { orderBy: { position: 'asc' } } } });
    const page = `/admin/theses/${SLUG}/signals`;
    for (const status of ['strengthening', 'confirmed']) {
      warren.clock.advance(3 * DAY);
      const fields = { signalId: thesis.signals[0].id, status, note: `Moved to ${status}.`, occurredOn: '2026-11-20' };
      expectStatus(await submitForm(admin, page, page, fields), 303);
    }
    // A members' section edited after publication goes into the record too, but is not a signal update.
    warren.clock.advance(DAY);
    const editor = (await admin.get(`/admin/theses/${SLUG}`).expect(200)).text;
    let bodies = 0;
    const fields = submittedFields(editor, `/admin/theses/${SLUG}`).map(([name, value]): [string, string] =>
      name === 'memberBody' && bodies++ === 1 ? [name, words(TIMING_WORDS, 'timingword')] : [name, value],
    );
    expectStatus(await admin.post(`/admin/theses/${SLUG}`).type('form').send(new URLSearchParams(fields).toString()), 303);
    expect(await warren.db.signalUpdate.count({ where: { thesisId: thesis.id, kind: 'section' } })).toBe(1);
    sectionChangedOn = warren.clock.now();
  });
  afterAll(() => warren.close());

  it('When a visitor opens the thesis, then the offer under the tagline names the members\' sections, the price once, one-time, and Buy', async () => {
    const page = (await request(warren.app).get(`/theses/${SLUG}`).expect(200)).text;
    const offer = block(page, 'aside', 'thesis-offer');
    expect(page.indexOf('class="tagline"')).toBeLessThan(page.indexOf('class="thesis-offer"'));
    expect(page.indexOf('class="thesis-offer"')).toBeLessThan(page.indexOf('class="toc"'));
    expect(offer).toContain('<li>Position sizing</li><li>Timing and entry levels</li>');
    expect(offer).toContain('<span class="price">$120 CAD</span> · one-time payment, not a subscription');
    expect(offer.match(/\$120 CAD/g)).toHaveLength(1);
    expect(offer).toContain(`<a class="button" href="/theses/${SLUG}/buy">Buy this thesis</a>`);
    expect(offer).toContain('<a href="#paywall">What you get ↓</a>');
    // The phones' sticky bar sits after the first section, inside the part that ends before the paywall.
    const scope = page.slice(page.indexOf('class="offer-scope"'), page.indexOf('id="paywall"'));
    expect(page.indexOf('id="section-what-this-thesis-is"')).toBeLessThan(page.indexOf('class="offer-scope"'));
    expect(scope).toContain(`<p class="sticky-offer"><span class="price">$120 CAD</span> <a class="button" href="/theses/${SLUG}/buy">`);
  });

  it('When a visitor reads the paywall, then each section has its length, the record its count and latest time, and one sign-in line', async () => {
    const page = (await request(warren.app).get(`/theses/${SLUG}`).expect(200)).text;
    const paywall = page.slice(page.indexOf('id="paywall"'));
    expect(paywall).toContain('<strong>Position sizing</strong> <span class="section-length">(about 1,200 words)</span>');
    expect(paywall).toContain('<strong>Timing and entry levels</strong> <span class="section-length">(about 60 words)</span>');
    // The whole record's count and its latest entry (a section change here), as /record shows them.
    const latest = sectionChangedOn!;
    expect(paywall).toContain(`3 dated updates on the signal record so far, the latest on <time datetime="${latest.toISOString()}">${formatInstant(latest)}</time>`);
    expect(paywall).toContain('Written by Harbourline Research.');
    expect((await admin.get(`/admin/theses/${SLUG}/preview`).expect(200)).text).toContain('Written by Harbourline Research.');
    expect(paywall).toContain(`<a href="/record#${SLUG}">public, hash-chained record</a>`);
    expect(paywall).toContain('not edited after the fact; it does not prove they are right');
    expect(paywall).toContain('<a href="/refunds">refund policy</a>');
    expect(page.match(/Already bought it\?/g)).toHaveLength(1);
    // Only the counts left the server: none of the members' words did.
    expect(page).not.toContain('sizingword');
    expect(page).not.toContain('timingword');
  });

  it('When the record\'s entries are still under embargo, then the paywall tells a visitor no more than /record: not which of them are signal updates', async () => {
    // Two signal updates and a section change, all inside the 30-day embargo: /record shows three times and hashes, no kinds.
    const record = (await request(warren.app).get('/record').expect(200)).text;
    expect(record.match(/data-embargoed/g)).toHaveLength(3);
    const page = (await request(warren.app).get(`/theses/${SLUG}`).expect(200)).text;
    const paywall = page.slice(page.indexOf('id="paywall"'));
    expect(paywall).not.toMatch(/\d+ signal updates?/);
    expect(paywall).toContain('3 dated updates on the signal record so far');
  });

  it('When the excerpt holds script, then it is rendered as Markdown and the script does not come through', async () => {
    const page = (await request(warren.app).get(`/theses/${SLUG}`).expect(200)).text;
    const excerpt = block(page, 'figure', 'members-excerpt');
    expect(excerpt).toContain('Scout band: <strong>half a percent</strong>.');
    expect(excerpt).not.toMatch(/<script|onerror|alert\(/);
  });

  it('When a member who owns the thesis opens it, then neither the offer, the sticky bar nor the paywall is shown', async () => {
    const { agent, sessionId } = await buyThesis(warren, 'owner@example.com', SLUG);
    await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    const page = (await agent.get(`/theses/${SLUG}`).expect(200)).text;
    expect(page).toContain('id="members-layer"');
    expect(page).not.toContain('class="thesis-offer"');
    expect(page).not.toContain('class="sticky-offer"');
    expect(page).not.toContain('id="paywall"');
  });

  it('When the excerpt is too long, then the editor answers 400 naming it and nothing changes; older snapshots restore without one', async () => {
    const before = await storedThesisState(warren.db, SLUG);
    const editor = (await admin.get(`/admin/theses/${SLUG}`).expect(200)).text;
    const fields = submittedFields(editor, `/admin/theses/${SLUG}`).map(([name, value]): [string, string] =>
      name === 'membersExcerpt' ? [name, 'x'.repeat(5_001)] : [name, value],
    );
    const refused = expectStatus(await admin.post(`/admin/theses/${SLUG}`).type('form').send(new URLSearchParams(fields).toString()), 400);
    expect(refused.text).toContain('membersExcerpt: must be at most 5000 characters');
    expect(await storedThesisState(warren.db, SLUG)).toEqual(before);

    const { membersExcerpt, ...older } = contentOf((await findThesisForEditing(warren.db, SLUG))!);
    expect(membersExcerpt).toContain('Scout band');
    expect(contentFromSnapshot(JSON.stringify(older))).toMatchObject({ slug: SLUG, membersExcerpt: '' });
  });

  it('When the thesis is archived, then visitors get no offer and no Buy button', async () => {
    expectStatus(await submitForm(admin, `/admin/theses/${SLUG}`, `/admin/theses/${SLUG}/status`, { action: 'archive', confirm: 'yes' }), 303);
    const page = (await request(warren.app).get(`/theses/${SLUG}`).expect(200)).text;
    expect(page).toContain('This thesis is archived and no longer sold.');
    expect(page).not.toContain('class="thesis-offer"');
    expect(page).not.toContain(`href="/theses/${SLUG}/buy"`);
  });
});
