import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, csrfToken, expectStatus, startWarren, submitForm, type Warren } from './support/harness.ts';
import { ADMIN, buyAndSignIn, signInAdmin, signInWithoutPurchase } from './support/signals.ts';
import { submittedFields } from './support/editor-form.ts';
import { editMemberBody } from './support/members-sections.ts';
import { thesisForm } from './support/thesis-form.ts';

type Agent = Awaited<ReturnType<typeof signInAdmin>>;
const MEMBER = 'member@example.com';
const MINUTE = 60_000;
const editorOf = (slug: string) => `/admin/theses/${slug}`;

type Edits = Record<string, (value: string) => string>;

/** The editor's form as served (CSRF field included), with the fields `edit` changes. */
async function editorFields(agent: Agent, slug: string, edit: Edits): Promise<[string, string][]> {
  const page = await agent.get(editorOf(slug)).expect(200);
  const seen = new Set<string>();
  return submittedFields(page.text, editorOf(slug)).map(([name, value]): [string, string] => {
    const first = !seen.has(name);
    seen.add(name);
    return [name, first && edit[name] ? edit[name](value.replace(/\r\n/g, '\n')) : value];
  });
}

/** What public/editor-autosave.js sends: the edited form plus autosave=1, asking for JSON. */
async function autosave(agent: Agent, slug: string, edit: Edits = {}, extra: Record<string, string> = {}) {
  const body = new URLSearchParams([...(await editorFields(agent, slug, edit)), ['autosave', '1'], ...Object.entries(extra)]).toString();
  return agent.post(editorOf(slug)).type('form').set('Accept', 'application/json').send(body);
}

describe('Autosave in the thesis editor: drafts only, answered in JSON', () => {
  let warren: Warren;
  let admin: Agent;
  const thesis = (slug: string) => warren.db.thesis.findUniqueOrThrow({ where: { slug }, include: { memberSections: true, signals: true, stressTests: true } });
  const revisions = (slug: string) => warren.db.thesisRevision.findMany({ where: { thesis: { slug } }, orderBy: { number: 'asc' } });

  async function createDraft(slug: string) {
    expectStatus(await submitForm(admin, '/admin/theses/new', '/admin/theses/new', thesisForm({ slug }) as Record<string, string>), 303);
  }

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
    await createDraft('autosave-draft');
  });
  afterAll(() => warren.close());

  it('When the admin opens a draft, then its form is marked for autosave and the script is loaded; a published thesis is not marked', async () => {
    const draft = (await admin.get(editorOf('autosave-draft')).expect(200)).text;
    expect(draft).toContain('<form method="post" action="/admin/theses/autosave-draft" class="editor" id="thesis-editor" data-autosave>');
    expect(draft).toMatch(/<script src="\/public\/editor-autosave\.[0-9a-f]{12}\.js" defer><\/script>/);
    const published = (await admin.get(editorOf(DEMO_SLUG)).expect(200)).text;
    expect(published).toContain(`<form method="post" action="/admin/theses/${DEMO_SLUG}" class="editor" id="thesis-editor">`);
    expect(published).not.toContain('data-autosave');
  });

  it('When a draft is autosaved with a new body, then the text is stored, a revision says it was autosaved, and the answer says when on the test clock', async () => {
    warren.clock.advance(7 * MINUTE);
    const at = warren.clock.now();
    const res = expectStatus(await autosave(admin, 'autosave-draft', { publicBody: (body) => `${body}\n\nA paragraph written while autosave ran.` }), 200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ saved: true, slug: 'autosave-draft', savedAt: at.toISOString(), savedText: `Autosaved at ${at.toISOString().slice(11, 16)} UTC` });
    const stored = await thesis('autosave-draft');
    expect(stored.publicBody).toContain('A paragraph written while autosave ran.');
    expect(stored.updatedAt.toISOString()).toBe(at.toISOString());
    const latest = (await revisions('autosave-draft')).at(-1)!;
    expect(latest).toMatchObject({ number: stored.revision, summary: 'edited publicBody (autosaved)', authorEmail: ADMIN });
    expect(latest.createdAt.toISOString()).toBe(at.toISOString());
  });

  it('When a draft is autosaved, then the public pages cached in memory stay; a save of the published thesis empties them', async () => {
    await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200);
    const cached = warren.deps.catalog.publicPages.size;
    expect(cached).toBeGreaterThan(0);
    const res = expectStatus(await autosave(admin, 'autosave-draft', { tagline: () => 'A tagline typed while readers read.' }), 200);
    expect(res.body).toMatchObject({ saved: true });
    expect(warren.deps.catalog.publicPages.size).toBe(cached);

    const saved = new URLSearchParams(await editorFields(admin, DEMO_SLUG, { tagline: () => 'A new public tagline.' })).toString();
    expectStatus(await admin.post(editorOf(DEMO_SLUG)).type('form').send(saved), 303);
    expect(warren.deps.catalog.publicPages.size).toBe(0);
  });

  it('When a draft is autosaved without any change, then the answer says saved: false and no revision is written', async () => {
    const before = await revisions('autosave-draft');
    const { updatedAt } = await thesis('autosave-draft');
    warren.clock.advance(MINUTE);
    const res = expectStatus(await autosave(admin, 'autosave-draft'), 200);
    expect(res.body).toMatchObject({ saved: false, slug: 'autosave-draft', savedText: 'No changes to save.' });
    expect(await revisions('autosave-draft')).toEqual(before);
    expect((await thesis('autosave-draft')).updatedAt).toEqual(updatedAt);
  });

  it('When an autosave has problems, then it answers 400 with every problem in JSON and changes nothing', async () => {
    const before = await thesis('autosave-draft');
    const revisionsBefore = await revisions('autosave-draft');
    const res = expectStatus(await autosave(admin, 'autosave-draft', { title: () => ' ', recordEmbargoDays: () => '-1', publicBody: (body) => `${body} more` }), 400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.problems).toEqual(['title: is required', expect.stringMatching(/^recordEmbargoDays: /)]);
    expect(await thesis('autosave-draft')).toEqual(before);
    expect(await revisions('autosave-draft')).toEqual(revisionsBefore);
  });

  it('When an autosave changes the slug, then the answer names the new slug and the editor is at the new address', async () => {
    await createDraft('autosave-renamed');
    const res = expectStatus(await autosave(admin, 'autosave-renamed', { slug: () => 'autosave-renamed-again' }), 200);
    expect(res.body).toMatchObject({ saved: true, slug: 'autosave-renamed-again' });
    await admin.get(editorOf('autosave-renamed-again')).expect(200);
    expect(await warren.db.thesis.count({ where: { slug: 'autosave-renamed' } })).toBe(0);
    // A draft's old slug (half-typed, maybe) is not kept as a redirect: another thesis may take it.
    expect(await warren.db.thesisSlugRedirect.count({ where: { oldSlug: 'autosave-renamed' } })).toBe(0);
    await createDraft('autosave-renamed');
  });

  it('When the thesis is published, then an autosave of a changed members\' section answers 409 in JSON and writes nothing: no revision, no record entry, no mail; Save of the same change does all three', async () => {
    await buyAndSignIn(warren, MEMBER); // a member who would be alerted of a changed section
    const before = await thesis(DEMO_SLUG);
    const revisionsBefore = await revisions(DEMO_SLUG);
    const record = () => warren.db.signalUpdate.count({ where: { thesisId: before.id } });
    const outbox = () => warren.db.outboxMessage.findMany({ where: { template: 'section-alert' } });
    expect(await record()).toBe(0);
    const addLine = (body: string) => `${body}\n\nScale in at a third of the core size.`;

    warren.clock.advance(MINUTE);
    const res = expectStatus(await autosave(admin, DEMO_SLUG, { memberBody: addLine }), 409);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: 'This thesis is published, not a draft: it is saved only when you press Save.' });
    expect(await thesis(DEMO_SLUG)).toEqual(before);
    expect(await revisions(DEMO_SLUG)).toEqual(revisionsBefore);
    expect(await record()).toBe(0);
    expect(await outbox()).toEqual([]);

    // The same change through Save: what the autosave refused is what Save does.
    await editMemberBody(admin, DEMO_SLUG, 0, addLine);
    expect(await revisions(DEMO_SLUG)).toHaveLength(revisionsBefore.length + 1);
    expect(await record()).toBe(1);
    expect((await outbox()).map((message) => message.recipient)).toEqual([MEMBER]);
  });

  it('When the thesis is scheduled, then an autosave answers 409 and changes nothing', async () => {
    await createDraft('autosave-scheduled');
    const publishAt = new Date(warren.clock.now().getTime() + 60 * MINUTE).toISOString().slice(0, 16);
    expectStatus(await submitForm(admin, editorOf('autosave-scheduled'), `${editorOf('autosave-scheduled')}/status`, { action: 'schedule', publishAt }), 303);
    const before = await thesis('autosave-scheduled');
    const res = expectStatus(await autosave(admin, 'autosave-scheduled', { tagline: () => 'A tagline typed while scheduled.' }), 409);
    expect(res.body.error).toContain('This thesis is scheduled, not a draft');
    expect(await thesis('autosave-scheduled')).toEqual(before);
  });

  it('When an autosave names a thesis that does not exist, then the 404 comes back as JSON, not a page', async () => {
    const page = await admin.get(editorOf('autosave-draft')).expect(200);
    const res = expectStatus(await admin.post(editorOf('no-such-thesis')).type('form').send({ ...thesisForm({ slug: 'no-such-thesis' }), autosave: '1', _csrf: csrfToken(page.text) }), 404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: 'There is no thesis with that slug.' });
  });

  it('When an autosave comes without a valid CSRF token, then it is refused with 403 and nothing changes', async () => {
    const before = await thesis('autosave-draft');
    const res = expectStatus(await autosave(admin, 'autosave-draft', { _csrf: () => 'forged', tagline: () => 'Forged tagline.' }), 403);
    expect(res.body.error).toContain('This form has expired or did not come from this site.');
    expect(await thesis('autosave-draft')).toEqual(before);
  });

  it('When a signed-in reader who is not an admin autosaves, then the admin gate refuses it and nothing changes', async () => {
    const { agent: reader } = await signInWithoutPurchase(warren, 'reader@example.com');
    const token = csrfToken((await reader.get('/account').expect(200)).text);
    const before = await thesis('autosave-draft');
    const res = expectStatus(
      await reader
        .post(editorOf('autosave-draft'))
        .type('form')
        .set('Accept', 'application/json')
        .send({ ...thesisForm({ slug: 'autosave-draft', tagline: 'A reader’s tagline.' }), autosave: '1', _csrf: token }),
      403,
    );
    expect(res.body).toEqual({ error: 'This area is for the publisher only.' });
    expect(await thesis('autosave-draft')).toEqual(before);
  });
});
