import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, signInByEmail, startWarren, submitForm, type Warren } from './support/harness.ts';
import { submittedFields } from './support/editor-form.ts';
import { thesisForm } from './support/thesis-form.ts';

const ADMIN = 'publisher@example.com';
const EDITOR = '/admin/theses/desk-test';
const MINUTE = 60_000;
type Agent = Awaited<ReturnType<typeof signInByEmail>>['agent'];

/** The editor's sticky bar, as served. */
const actionBar = (html: string) => /<div class="action-bar">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';

describe("The publisher's desk: the editor's action bar and save messages", () => {
  let warren: Warren;
  let admin: Agent;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    await warren.db.user.create({ data: { email: ADMIN, createdAt: warren.clock.now() } });
    ({ agent: admin } = await signInByEmail(warren, ADMIN));
    expectStatus(await submitForm(admin, '/admin/theses/new', '/admin/theses/new', thesisForm({ slug: 'desk-test' }) as Record<string, string>), 303);
  });
  afterAll(() => warren.close());

  /** Presses Save sending back exactly what the editor holds, as a browser would. */
  async function saveUntouched() {
    const page = await admin.get(EDITOR).expect(200);
    const body = new URLSearchParams(submittedFields(page.text, EDITOR)).toString();
    return expectStatus(await admin.post(EDITOR).type('form').send(body), 303);
  }

  it('When the admin changes a field and saves, then the editor says "Saved at" the time of the save in UTC, not an ISO date', async () => {
    warren.clock.advance(7 * MINUTE);
    const savedAt = warren.clock.now().toISOString().slice(11, 16);
    const res = expectStatus(await submitForm(admin, EDITOR, EDITOR, thesisForm({ slug: 'desk-test', tagline: 'A new tagline.' }) as Record<string, string>), 303);
    expect(res.headers.location).toBe(`${EDITOR}?saved=1`);
    warren.clock.advance(3 * MINUTE); // the message gives the save's time, not the time of reading
    const page = await admin.get(res.headers.location).expect(200);
    expect(page.text).toContain(`<p class="saved" role="status">Saved at ${savedAt} UTC.</p>`);
    expect(page.text).not.toContain('No changes to save.');
  });

  it('When the admin presses Save on an untouched editor, then it says "No changes to save." and writes no revision', async () => {
    const revisions = await warren.db.thesisRevision.count();
    const res = await saveUntouched();
    expect(res.headers.location).toBe(`${EDITOR}?unchanged=1`);
    const page = await admin.get(res.headers.location).expect(200);
    expect(page.text).toContain('<p class="saved" role="status">No changes to save.</p>');
    expect(page.text).not.toContain('Saved at');
    expect(await warren.db.thesisRevision.count()).toBe(revisions);
  });

  it('When the admin opens the editor on a later day, then the bar gives the date and time of the last save, without a status message', async () => {
    const { updatedAt } = await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'desk-test' } });
    warren.clock.advance(2 * 24 * 60 * MINUTE);
    const bar = actionBar((await admin.get(EDITOR).expect(200)).text);
    const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(updatedAt);
    expect(bar).toContain(`Last saved <time datetime="${updatedAt.toISOString()}">on ${day} at ${updatedAt.toISOString().slice(11, 16)} UTC</time>`);
    expect(bar).not.toContain('role="status"');
  });

  it('When the thesis is a draft, then the bar offers Save, Preview and Publish now; once published, no publishing action', async () => {
    const draftBar = actionBar((await admin.get(EDITOR).expect(200)).text);
    expect(draftBar).toContain('<button type="submit" form="thesis-editor" class="button">Save</button>');
    expect(draftBar).toContain(`<a href="${EDITOR}/preview">Preview</a>`);
    expect(draftBar).toContain('Publish now');

    expectStatus(await submitForm(admin, EDITOR, `${EDITOR}/status`, { action: 'publish' }), 303);
    const page = (await admin.get(EDITOR).expect(200)).text;
    expect(actionBar(page)).toContain('form="thesis-editor"');
    expect(page).not.toContain('Publish now');
    // The live date reads as a person's date, the ISO form only in the machine-readable attribute.
    const live = warren.clock.now().toISOString();
    expect(page).toContain(`<time datetime="${live}">at ${live.slice(11, 16)} UTC</time>`);
  });

  it('When the admin opens the editor, then each prose field shows its word count and the bar the whole thesis\'s', async () => {
    const page = (await admin.get(EDITOR).expect(200)).text;
    // Body 13 words; members' bodies 6 and 7 ("SECRET-SIZING" and "0.5" are one word each); no closing.
    expect(page).toContain('<p class="small word-count" id="publicBody-words" data-word-count>13 words</p>');
    expect(page).toContain('<p class="small word-count" id="memberBody-words-0" data-word-count>6 words</p>');
    expect(page).toContain('<p class="small word-count" id="memberBody-words-1" data-word-count>7 words</p>');
    expect(page).toContain('<p class="small word-count" id="publicClosing-words" data-word-count>0 words</p>');
    expect(actionBar(page)).toContain('Thesis: <span data-word-total>26 words</span>');
  });

  it('When the admin saves an empty title and a negative embargo, then each field is marked invalid with its message beside it, the summary lists them, and nothing changes', async () => {
    const before = await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'desk-test' } });
    const res = expectStatus(await submitForm(admin, EDITOR, EDITOR, thesisForm({ slug: 'desk-test', title: ' ', recordEmbargoDays: '-1' }) as Record<string, string>), 400);
    expect(res.text).toContain('Nothing was saved. Please fix:');
    expect(res.text).toMatch(/<input id="title" name="title" value=" " required aria-invalid="true" aria-describedby="title-error"><p class="field-error" id="title-error"><span aria-hidden="true">⚠ <\/span>is required<\/p>/);
    expect(res.text).toMatch(/<input id="recordEmbargoDays"[^>]* aria-invalid="true" aria-describedby="recordEmbargoDays-error recordEmbargoDaysHelp"><p class="field-error" id="recordEmbargoDays-error">/);
    expect(res.text).not.toContain('id="subject-error"');
    expect(res.text.match(/aria-invalid="true"/g)).toHaveLength(2);
    expect(await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'desk-test' } })).toEqual(before);
  });

  it('When rows of the stress test and members\' sections miss a field, then the field in that row is marked with its message, the summary names the row as shown, and nothing changes', async () => {
    const before = await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'desk-test' } });
    // The first stress-test row is left blank (dropped), so the half-written one is shown as row 1.
    const form = thesisForm({
      slug: 'desk-test',
      stressArgument: ['', 'Only an argument.', ''],
      stressAssumption: ['', '', ''],
      stressVerdict: ['Partial', 'Valid', 'Invalid'],
      memberSummary: ['Bands tied to conviction.', ''],
    });
    const res = expectStatus(await submitForm(admin, EDITOR, EDITOR, form as Record<string, string>), 400);
    expect(res.text).toContain('<li>Stress test, row 1, its assumption: is required</li>');
    expect(res.text).toContain('<li>Members&#x27; sections, row 2, summary: is required</li>');
    expect(res.text).toMatch(
      /<textarea name="stressArgument" rows="2">Only an argument\.<\/textarea><\/label>\s*<label>Its assumption <textarea name="stressAssumption" rows="2" aria-invalid="true" aria-describedby="stressTests-0-assumption-error"><\/textarea><\/label><p class="field-error" id="stressTests-0-assumption-error"><span aria-hidden="true">⚠ <\/span>is required<\/p>/,
    );
    expect(res.text).toContain(
      '<input name="memberSummary" value="" aria-invalid="true" aria-describedby="memberSections-1-summary-error"></label><p class="field-error" id="memberSections-1-summary-error"><span aria-hidden="true">⚠ </span>is required</p>',
    );
    expect(res.text.match(/aria-invalid="true"/g)).toHaveLength(2);
    expect(await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'desk-test' } })).toEqual(before);
  });

  it('When the admin writes a price that is not an amount, then the price field carries the message', async () => {
    const res = expectStatus(await submitForm(admin, EDITOR, EDITOR, thesisForm({ slug: 'desk-test', price: 'free' }) as Record<string, string>), 400);
    expect(res.text).toContain('aria-invalid="true" aria-describedby="price-error"><p class="field-error" id="price-error"><span aria-hidden="true">⚠ </span>write an amount such as 75.00</p>');
  });

  it('When the admin presses Archive, Unpublish, Unarchive or Restore, then a confirmation page asks first and nothing changes until it is confirmed', async () => {
    const stateOf = async () => {
      const { publishedAt, archivedAt, revision, title } = await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'desk-test' } });
      return { publishedAt, archivedAt, revision, title, revisions: await warren.db.thesisRevision.count() };
    };
    const before = await stateOf();
    expect(before.publishedAt).not.toBeNull();
    for (const [action, fields, question] of [
      [`${EDITOR}/status`, { action: 'archive' }, 'Archive this thesis?'],
      [`${EDITOR}/status`, { action: 'unpublish' }, 'Unpublish this thesis?'],
      [`${EDITOR}/revisions/1/restore`, {}, 'Restore revision 1?'],
    ] as const) {
      const res = expectStatus(await submitForm(admin, EDITOR, action, fields), 200);
      expect(res.text).toContain(`<h1>${question}</h1>`);
      expect(res.text).toContain(`<form method="post" action="${action}">`);
      expect(res.text).toContain('<input type="hidden" name="confirm" value="yes">');
      expect(await stateOf()).toEqual(before);
    }

    // Confirming sends the page's own form, as a browser would without JavaScript.
    const page = expectStatus(await submitForm(admin, EDITOR, `${EDITOR}/status`, { action: 'archive' }), 200);
    const body = new URLSearchParams(submittedFields(page.text, `${EDITOR}/status`)).toString();
    expect(body).toContain('confirm=yes');
    expectStatus(await admin.post(`${EDITOR}/status`).type('form').send(body), 303);
    const archived = await stateOf();
    expect(archived.archivedAt).not.toBeNull();

    // Unarchiving puts it back on sale: asked too, and nothing changes until confirmed.
    const unarchive = expectStatus(await submitForm(admin, EDITOR, `${EDITOR}/status`, { action: 'unarchive' }), 200);
    expect(unarchive.text).toContain('<h1>Unarchive this thesis?</h1>');
    expect(await stateOf()).toEqual(archived);
    const confirmUnarchive = new URLSearchParams(submittedFields(unarchive.text, `${EDITOR}/status`)).toString();
    expectStatus(await admin.post(`${EDITOR}/status`).type('form').send(confirmUnarchive), 303);
    expect((await stateOf()).archivedAt).toBeNull();
  });
});
