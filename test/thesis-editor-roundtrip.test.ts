import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentOf, findThesisForEditing } from '../server/publishing/publishing.repo.ts';
import { expectStatus, signInByEmail, startWarren, submitForm, type Warren } from './support/harness.ts';
import { textareaValues } from './support/editor-form.ts';
import { thesisForm } from './support/thesis-form.ts';

const ADMIN = 'publisher@example.com';
type Agent = Awaited<ReturnType<typeof signInByEmail>>['agent'];

// Every field the editor shows in a textarea, written over several lines, with indentation of its
// own (a Markdown code block, a nested list) and characters HTML escapes.
const MULTI_LINE = thesisForm({
  slug: 'many-lines',
  publicBody: '## Why\n\nFirst paragraph & <more>.\n\n    indented code, kept as written\n\n- a list\n  - a nested item\n\n## Next\n\nLast line.',
  stressArgument: ['HBM will catch up:\n  - stacks get taller\n  - links get wider', ''],
  stressAssumption: ['Off-chip bandwidth\ngrows fast enough.', ''],
  signalDescription: ['Per-token prices\nstay lowest.', 'Largest customer\n\nshare falls.'],
  memberBody: ['SECRET-SIZING:\n\n```\nscout  0.5%\ncore   2%\n```', 'SECRET-TIMING:\n1. gate one\n2. gate two'],
  disclosureStatement: 'General information,\nnot personalised advice.',
  footer: 'Harbourline Research\nHalifax, Nova Scotia',
});

describe('The thesis editor gives back exactly what is stored', () => {
  let warren: Warren;
  let admin: Agent;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    await warren.db.user.create({ data: { email: ADMIN } });
    ({ agent: admin } = await signInByEmail(warren, ADMIN));
    expectStatus(await submitForm(admin, '/admin/theses/new', '/admin/theses/new', MULTI_LINE as Record<string, string>), 303);
  });
  afterAll(() => warren.close());

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
      ['disclosureStatement', stored.disclosureStatement],
      ['footer', stored.footer],
    ]);
    expect(stored.publicBody).toBe(MULTI_LINE.publicBody);
  });
});
