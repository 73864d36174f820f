import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { contentOf, findThesisForEditing } from '../server/publishing/publishing.repo.ts';
import { runThesisCommand } from '../server/publishing/thesis-command.ts';
import { saveThesis } from '../server/publishing/thesis-editing.ts';
import type { ThesisContent } from '../server/publishing/thesis-content.ts';
import { DEMO_SLUG, startWarren, type Warren } from './support/harness.ts';
import { captured, contentAnnouncements } from './support/command-output.ts';
import { storedThesisState } from './support/stored-thesis.ts';

const FIXER = 'publisher@example.com';

/** A text as the old editor stored it after `saves` saves: two more spaces on every line after the first, per save. */
function shiftedLikeTheOldEditor(text: string, saves: number): string {
  return text
    .split('\n')
    .map((line, index) => (index === 0 ? line : `${'  '.repeat(saves)}${line}`))
    .join('\n');
}

/** The content after the old editor saved it `saves` times: every textarea shifted. */
function savedByTheOldEditor(content: ThesisContent, saves: number): ThesisContent {
  const shift = (text: string) => shiftedLikeTheOldEditor(text, saves);
  return {
    ...content,
    publicBody: shift(content.publicBody),
    stressTests: content.stressTests.map((item) => ({ ...item, argument: shift(item.argument), assumption: shift(item.assumption) })),
    signals: content.signals.map((signal) => ({ ...signal, description: shift(signal.description) })),
    memberSections: content.memberSections.map((section) => ({ ...section, body: shift(section.body) })),
    disclosureStatement: shift(content.disclosureStatement),
    footer: shift(content.footer),
  };
}

describe('npm run thesis -- check-indent: stored text the old editor indented', () => {
  let warren: Warren;
  let written: ThesisContent;
  let publicPage: string;
  const run = async (...args: string[]) => {
    const { said, io } = captured();
    const before = await contentAnnouncements(warren.db);
    const code = await runThesisCommand(warren.deps, ['check-indent', ...args], io);
    return { code, ...said, contentChanges: (await contentAnnouncements(warren.db)) - before };
  };
  const change = () => ({ authorEmail: 'publisher', at: warren.clock.now() });

  beforeAll(async () => {
    warren = await startWarren();
    // As the publisher wrote it: the demo thesis, with a footer over two lines.
    const demo = contentOf((await findThesisForEditing(warren.db, DEMO_SLUG))!);
    written = { ...demo, footer: 'Harbourline Research\nHalifax, Nova Scotia' };
    await saveThesis(warren.db, DEMO_SLUG, written, change());
    publicPage = (await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200)).text;
  });
  afterAll(() => warren.close());

  it('When no stored text carries the indentation, then the check says so, exits 0 and changes nothing', async () => {
    const before = await storedThesisState(warren.db, DEMO_SLUG);
    const { code, out } = await run();
    expect(out).toBe("No stored text carries the old editor's indentation (theses checked: 1).\n");
    expect(code).toBe(0);
    expect(await storedThesisState(warren.db, DEMO_SLUG)).toEqual(before);
  });

  it('When the old editor saved a thesis twice, then the check names each indented field, exits 1 and changes nothing', async () => {
    await saveThesis(warren.db, DEMO_SLUG, savedByTheOldEditor(written, 1), change());
    await saveThesis(warren.db, DEMO_SLUG, savedByTheOldEditor(written, 2), change());
    const before = await storedThesisState(warren.db, DEMO_SLUG);

    const { code, out, contentChanges } = await run();
    const report = out.split('\n')[0];
    expect(report).toMatch(/^decode-singularity: publicBody \(4 spaces\), /);
    for (const index of written.memberSections.keys()) expect(report).toContain(`memberSections ${index + 1} body (4 spaces)`);
    expect(report).toMatch(/footer \(4 spaces\)$/);
    // One-line texts gained nothing, and are not named.
    expect(report).not.toContain('signals');
    expect(out).toContain('Theses with text indented after its first line, as the old editor saved it: 1 (of 1).');
    expect(code).toBe(1);
    expect(contentChanges).toBe(0);
    expect(await storedThesisState(warren.db, DEMO_SLUG)).toEqual(before);
  });

  it('When run with --fix, then every text is back byte for byte as written, in one revision naming the parts, and the public page is as before', async () => {
    const before = await storedThesisState(warren.db, DEMO_SLUG);
    const { code, out, contentChanges } = await run('--fix', '--as', FIXER);
    expect(out).toMatch(/^decode-singularity: publicBody \(4 spaces\), .*: fixed\n/);
    expect(code).toBe(0);
    expect(contentChanges).toBe(1); // running instances are told to drop their cached pages

    const after = await storedThesisState(warren.db, DEMO_SLUG);
    expect(after.content).toBe(JSON.stringify(written));
    expect(after.revisions).toBe(before.revisions + 1);
    const thesis = await findThesisForEditing(warren.db, DEMO_SLUG);
    const latest = await warren.db.thesisRevision.findFirstOrThrow({ where: { thesisId: thesis!.id }, orderBy: { number: 'desc' } });
    expect(latest).toMatchObject({ authorEmail: FIXER, summary: "removed the editor's indentation from publicBody, footer, memberSections" });
    // The thesis is published: the members' sections it changed are on its record, as editorial
    // fixes (no alert), so the page's record line moved on; the rest of the page is as before.
    const recorded = await warren.db.signalUpdate.findMany({ where: { thesisId: thesis!.id }, orderBy: { sequence: 'asc' } });
    expect(recorded.map((row) => [row.kind, row.editorial, row.alert])).toEqual(written.memberSections.map(() => ['section', true, false]));
    expect(await warren.db.outboxMessage.count({ where: { template: { not: 'sign-in' } } })).toBe(0);
    const withoutRecord = (html: string) =>
      html.replace(/<p class="small signal-record"[\s\S]*?<\/p>/, '').replace(/<p class="signal-updates">[\s\S]*?<\/p>/, '');
    const page = (await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200)).text;
    expect(page).toContain(`${written.memberSections.length} dated updates on record`);
    expect(page).toContain(`${written.memberSections.length} dated updates on the signal record so far`);
    expect(withoutRecord(page)).toBe(withoutRecord(publicPage));

    expect((await run()).code).toBe(0);
  });
});
