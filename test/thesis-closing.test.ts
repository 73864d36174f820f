import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, expectStatus, startWarren, submitForm, type Warren } from './support/harness.ts';
import { ADMIN, buyAndSignIn, signInAdmin } from './support/signals.ts';
import { submittedFields } from './support/editor-form.ts';
import { storedThesisState } from './support/stored-thesis.ts';
import { contentOf, findThesisForEditing } from '../server/publishing/publishing.repo.ts';
import { contentFromSnapshot } from '../server/publishing/thesis-content.ts';
import { thesisForm } from './support/thesis-form.ts';

type Agent = Awaited<ReturnType<typeof signInAdmin>>;

/** The links of the page's contents list, in order. */
function tocLinks(html: string): string[] {
  const nav = /<nav class="toc"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  return [...nav.matchAll(/href="#([^"]+)"/g)].map((match) => match[1]);
}

/** Asserts the markers appear in the page in this order, each once at least. */
function expectInOrder(html: string, markers: string[]) {
  const positions = markers.map((marker) => html.indexOf(marker));
  for (const [index, position] of positions.entries()) expect(position, markers[index]).toBeGreaterThan(-1);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
}

const FINAL_CONDITION = '<h2 id="section-final-condition">Final Condition</h2>';

describe('A public closing after the offer', () => {
  let warren: Warren;
  let admin: Agent;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
  });
  afterAll(() => warren.close());

  it('When a visitor opens the demo thesis, then the Final Condition comes after the paywall and the offer, and closes the contents list', async () => {
    const page = (await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200)).text;
    expectInOrder(page, ['id="section-the-stack"', 'id="stress-test"', 'id="signals"', 'id="paywall"', 'Single Thesis —', FINAL_CONDITION, 'class="thesis-footer"']);
    expect(page).toContain('The Decode Singularity is not a future event.');
    const links = tocLinks(page);
    expect(links.slice(-5)).toEqual(['section-the-stack', 'stress-test', 'signals', 'paywall', 'section-final-condition']);
  });

  it('When a member opens it, then the Final Condition comes after the members\' layer, in the contents list too', async () => {
    const { agent } = await buyAndSignIn(warren, 'closing-reader@example.com');
    const page = (await agent.get(`/theses/${DEMO_SLUG}`).expect(200)).text;
    expectInOrder(page, ['id="signals"', 'id="members-layer"', 'id="members-position-sizing"', 'class="signal-board"', FINAL_CONDITION, 'class="thesis-footer"']);
    expect(page).not.toContain('id="paywall"');
    // The members' layer lists its own sections and the signal status (nested), then the closing.
    const links = tocLinks(page);
    const layer = links.indexOf('members-layer');
    expect(links.slice(layer, layer + 2)).toEqual(['members-layer', 'members-position-sizing']);
    expect(links.slice(-2)).toEqual(['signal-status', 'section-final-condition']);
  });

  it('When the closing repeats a heading of the body, then each gets its own id, and a body-only thesis lists no closing', async () => {
    const form = thesisForm({ slug: 'repeated-heading', publicBody: '## Why\n\nBefore.', publicClosing: '## Why\n\nAfter the offer.' });
    expectStatus(await submitForm(admin, '/admin/theses/new', '/admin/theses/new', form as Record<string, string>), 303);
    expectStatus(await submitForm(admin, '/admin/theses/repeated-heading', '/admin/theses/repeated-heading/status', { action: 'publish' }), 303);
    const page = (await request(warren.app).get('/theses/repeated-heading').expect(200)).text;
    expect(tocLinks(page)).toEqual(['section-why', 'stress-test', 'signals', 'paywall', 'section-why-2']);
    expectInOrder(page, ['<h2 id="section-why">Why</h2>', 'id="paywall"', '<h2 id="section-why-2">Why</h2>']);

    const plain = thesisForm({ slug: 'no-closing' });
    expectStatus(await submitForm(admin, '/admin/theses/new', '/admin/theses/new', plain as Record<string, string>), 303);
    const preview = (await admin.get('/admin/theses/no-closing/preview').expect(200)).text;
    expect(preview).not.toContain('id="closing"');
  });

  it('When the admin edits the closing, then the cached public page shows the new text at once', async () => {
    const before = (await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200)).text;
    expect(before).toContain('The whole thesis comes down to one question.');
    const editor = (await admin.get(`/admin/theses/${DEMO_SLUG}`).expect(200)).text;
    const fields = submittedFields(editor, `/admin/theses/${DEMO_SLUG}`).map(([name, value]): [string, string] =>
      name === 'publicClosing' ? [name, '## Final Condition\r\n\r\nOne question, asked again.'] : [name, value],
    );
    expectStatus(await admin.post(`/admin/theses/${DEMO_SLUG}`).type('form').send(new URLSearchParams(fields).toString()), 303);
    const after = (await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200)).text;
    expect(after).toContain('One question, asked again.');
    expect(after).not.toContain('The whole thesis comes down to one question.');
    const latest = await warren.db.thesisRevision.findFirstOrThrow({ where: { thesis: { slug: DEMO_SLUG } }, orderBy: { number: 'desc' } });
    expect(latest.summary).toBe('edited publicClosing');
  });

  it('When a revision snapshot predates the closing, then it restores with an empty closing', async () => {
    const { publicClosing: _closing, ...older } = contentOf((await findThesisForEditing(warren.db, 'no-closing'))!);
    expect(contentFromSnapshot(JSON.stringify(older))).toMatchObject({ slug: 'no-closing', publicClosing: '' });
  });

  it('When the closing is too long, then the editor answers 400 naming it and nothing changes', async () => {
    const before = await storedThesisState(warren.db, DEMO_SLUG);
    const page = (await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200)).text;
    const editor = (await admin.get(`/admin/theses/${DEMO_SLUG}`).expect(200)).text;
    const fields = submittedFields(editor, `/admin/theses/${DEMO_SLUG}`).map(([name, value]): [string, string] =>
      name === 'publicClosing' ? [name, 'x'.repeat(50_001)] : [name, value],
    );
    const refused = expectStatus(await admin.post(`/admin/theses/${DEMO_SLUG}`).type('form').send(new URLSearchParams(fields).toString()), 400);
    expect(refused.text).toContain('publicClosing: must be at most 50000 characters');
    expect(await storedThesisState(warren.db, DEMO_SLUG)).toEqual(before);
    expect((await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200)).text).toBe(page);
  });
});
