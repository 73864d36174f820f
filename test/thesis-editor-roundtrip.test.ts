import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { contentOf, findThesisForEditing } from '../server/publishing/publishing.repo.ts';
import { DEMO_SLUG, expectStatus, startWarren, submitForm, type Warren } from './support/harness.ts';
import { ADMIN, signInAdmin } from './support/signals.ts';
import { submittedFields, textareaValues } from './support/editor-form.ts';
import { storedThesisState } from './support/stored-thesis.ts';
import { thesisForm } from './support/thesis-form.ts';

type Agent = Awaited<ReturnType<typeof signInAdmin>>;

// Every field the editor shows in a textarea, written over several lines, with indentation of its
// own (a Markdown code block, a nested list) and characters HTML escapes.
const MULTI_LINE = thesisForm({
  slug: 'many-lines',
  publicBody: '## Why\n\nFirst paragraph & <more>.\n\n    indented code, kept as written\n\n- a list\n  - a nested item\n\n## Next\n\nLast line.',
  stressArgument: ['HBM will catch up:\n  - stacks get taller\n  - links get wider', ''],
  stressAssumption: ['Off-chip bandwidth\ngrows fast enough.', ''],
  signalDescription: ['Per-token prices\nstay lowest.', 'Largest customer\n\nshare falls.'],
  memberBody: ['SECRET-SIZING:\n\n```\nscout  0.5%\ncore   2%\n```', 'SECRET-TIMING:\n1. gate one\n2. gate two'],
  membersExcerpt: '> Sizing & <bands>:\n\n    scout  0.5%\n\n- if chat\n  - GPUs',
  publicClosing: '## Final Condition\n\nOne question & <one> answer.\n\n    kept as written\n\n- if chat\n  - GPUs',
  disclosureStatement: 'General information,\nnot personalised advice.',
  footer: 'Harbourline Research\nHalifax, Nova Scotia',
});

describe('The thesis editor gives back exactly what is stored', () => {
  let warren: Warren;
  let admin: Agent;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
    expectStatus(await submitForm(admin, '/admin/theses/new', '/admin/theses/new', MULTI_LINE as Record<string, string>), 303);
    expectStatus(await submitForm(admin, '/admin/theses/many-lines', '/admin/theses/many-lines/status', { action: 'publish' }), 303);
  });
  afterAll(() => warren.close());

  /** Opens the editor and presses Save, sending back exactly what the page holds, as a browser would. */
  async function saveUntouched(slug: string) {
    const page = await admin.get(`/admin/theses/${slug}`).expect(200);
    const body = new URLSearchParams(submittedFields(page.text, `/admin/theses/${slug}`)).toString();
    expect(body).toContain('%0D%0A'); // textarea newlines went as CRLF
    return expectStatus(await admin.post(`/admin/theses/${slug}`).type('form').send(body), 303);
  }

  it('When the admin opens the editor, then every textarea holds the stored text byte for byte', async () => {
    const stored = contentOf((await findThesisForEditing(warren.db, 'many-lines'))!);
    const page = await admin.get('/admin/theses/many-lines').expect(200);
    expect(textareaValues(page.text)).toEqual([
      ['publicBody', stored.publicBody],
      ...stored.stressTests.flatMap((item) => [['stressArgument', item.argument], ['stressAssumption', item.assumption]]),
      ['stressArgument', ''], ['stressAssumption', ''], ['stressArgument', ''], ['stressAssumption', ''],
      ...stored.signals.map((signal) => ['signalDescription', signal.description]),
      ['signalDescription', ''], ['signalDescription', ''],
      ...stored.memberSections.map((section) => ['memberBody', section.body]),
      ['memberBody', ''],
      ['membersExcerpt', stored.membersExcerpt],
      ['publicClosing', stored.publicClosing],
      ['disclosureStatement', stored.disclosureStatement],
      ['footer', stored.footer],
    ]);
    expect(stored.publicBody).toBe(MULTI_LINE.publicBody);
    expect(stored.publicClosing).toBe(MULTI_LINE.publicClosing);
    expect(stored.membersExcerpt).toBe(MULTI_LINE.membersExcerpt);
  });

  it('When the admin saves a thesis twice without touching it, then nothing stored changes and no revision is written', async () => {
    for (const slug of ['many-lines', DEMO_SLUG]) {
      const before = await storedThesisState(warren.db, slug);
      const publicPage = (await request(warren.app).get(`/theses/${slug}`).expect(200)).text;
      await saveUntouched(slug);
      await saveUntouched(slug);
      expect(await storedThesisState(warren.db, slug)).toEqual(before);
      expect((await request(warren.app).get(`/theses/${slug}`).expect(200)).text).toBe(publicPage);
    }
  });

  it('When the admin changes one multi-line field, then only that field is stored changed, with LF newlines, and named in the revision', async () => {
    const page = await admin.get('/admin/theses/many-lines').expect(200);
    const fields = submittedFields(page.text, '/admin/theses/many-lines').map(([name, value]): [string, string] =>
      name === 'footer' ? [name, 'Harbourline Research\r\nHalifax, N.S.'] : [name, value],
    );
    expectStatus(await admin.post('/admin/theses/many-lines').type('form').send(new URLSearchParams(fields).toString()), 303);
    const stored = (await findThesisForEditing(warren.db, 'many-lines'))!;
    expect(stored.footer).toBe('Harbourline Research\nHalifax, N.S.');
    const latest = await warren.db.thesisRevision.findFirstOrThrow({ where: { thesisId: stored.id }, orderBy: { number: 'desc' } });
    expect(latest.summary).toBe('edited footer');
  });
});
