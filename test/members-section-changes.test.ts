import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../server/paths.ts';
import { DEMO_SLUG, expectStatus, signInByEmail, startWarren, submitForm, type Warren } from './support/harness.ts';
import { ADMIN, buyAndSignIn, demoSignals, recordUpdate, signInAdmin, signInWithoutPurchase } from './support/signals.ts';
import { submittedFields } from './support/editor-form.ts';
import { editMemberBody } from './support/members-sections.ts';
import { thesisForm } from './support/thesis-form.ts';
import { verifyChain } from '../server/signals/hash-chain.ts';
import { toChainEntry } from '../server/signals/signal-log.repo.ts';
import { contentOf, findThesisForEditing } from '../server/publishing/publishing.repo.ts';
import { exportThesis } from '../server/publishing/markdown-file.ts';
import { runThesisCommand } from '../server/publishing/thesis-command.ts';
import { saveThesis } from '../server/publishing/thesis-editing.ts';
import type { MembersSectionsHook } from '../server/publishing/members-sections.ts';
import { recordMembersSectionChanges } from '../server/signals/section-record.ts';
import { captured } from './support/command-output.ts';
import { listen, SseClient } from './support/sse-client.ts';

type Agent = Awaited<ReturnType<typeof signInAdmin>>;
const MEMBER = 'member@example.com';
const OPTED_OUT = 'quiet.member@example.com';
const OUTSIDER = 'outsider@example.com';

/** `npm run verify-log -- <file>` as a member runs it. */
function verifyLog(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['scripts/verify-log.ts', file], { cwd: REPO_ROOT }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe("Changes to the members' layer are events", () => {
  let warren: Warren;
  let admin: Agent;
  let thesisId: string;
  let member: Agent;
  let memberCookie: string;
  let outsider: Agent;
  const dir = mkdtempSync(path.join(tmpdir(), 'warren-sections-'));
  const download = async (name: string) => {
    const res = await member.get(`/theses/${DEMO_SLUG}/signals/log.json`).expect(200);
    const file = path.join(dir, name);
    writeFileSync(file, res.text);
    return { file, log: JSON.parse(res.text) };
  };
  const record = () => warren.db.signalUpdate.findMany({ where: { thesisId }, orderBy: { sequence: 'asc' } });
  const sections = () => warren.db.memberSection.findMany({ where: { thesisId }, orderBy: { position: 'asc' } });

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
    thesisId = (await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } })).id;
    ({ agent: member, cookie: memberCookie } = await buyAndSignIn(warren, MEMBER));
    await buyAndSignIn(warren, OPTED_OUT);
    const { agent: quiet } = await signInByEmail(warren, OPTED_OUT);
    expectStatus(await submitForm(quiet, '/account', '/account/alerts', {}), 303);
    ({ agent: outsider } = await signInWithoutPurchase(warren, OUTSIDER));
    await warren.deliverMail();
  });
  const sectionAlerts = () => warren.db.outboxMessage.findMany({ where: { template: 'section-alert' }, orderBy: { createdAt: 'asc' } });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await warren.close();
  });

  it('When a members\' section of a published thesis is edited, then one section entry with the digest of its new text is appended to the chain', async () => {
    const [before] = await sections();
    warren.clock.advance(60_000);
    await editMemberBody(admin, DEMO_SLUG, 0, (body) => `${body}\n\nScale in at a third of the core size.`);
    const [after] = await sections();
    expect(after.body).toContain('Scale in at a third of the core size.');
    const rows = await record();
    expect(rows).toHaveLength(1);
    const [entry] = rows;
    expect(entry).toMatchObject({ kind: 'section', sequence: 1, signalId: null, sectionTitle: after.title, editorial: false, alert: true });
    expect(entry.recordedAt.toISOString()).toBe(warren.clock.now().toISOString());
    // Salted: the public digest cannot be matched by hashing a guessed text, only with the members' salt.
    expect(entry.textSalt).toMatch(/^[0-9a-f]{32}$/);
    expect(entry.textSha256).not.toBe(sha256(entry.sectionText!));
    expect(entry.textSha256).toBe(sha256(`${entry.textSalt}${entry.sectionText}`));
    expect(entry.previousTextSha256).toBe(sha256(`${entry.previousTextSalt}${entry.previousSectionText}`));
    expect(entry.sectionText).toContain('Scale in at a third of the core size.');
    expect(entry.previousSectionText).toContain(before.body);
    expect(entry.previousSectionText).not.toContain('Scale in at a third');
    expect(verifyChain(rows.map(toChainEntry))).toEqual({ ok: true, count: 1, head: entry.hash });
  });

  it('When that edit is saved, then each entitled member who accepts alerts gets one alert with the new text and the chain head, and nobody else', async () => {
    const [entry] = await record();
    const queued = await sectionAlerts();
    expect(queued.map((message) => [message.recipient, message.dedupeKey])).toEqual([
      [MEMBER, `section-alert:${entry.id}:${(await warren.db.user.findUniqueOrThrow({ where: { email: MEMBER } })).id}`],
    ]);
    await warren.deliverMail();
    const [mail, ...more] = warren.inbox.to(MEMBER).filter((message) => message.subject?.includes("members' layer was updated"));
    expect(more).toHaveLength(0);
    expect(mail.subject).toBe("The Decode Singularity: the members' layer was updated");
    expect(mail.text).toContain('Scale in at a third of the core size.');
    // The change itself, word by word: added text marked in the text part, underlined in the HTML one.
    expect(mail.text).toMatch(/What changed \(\[\+added\+\], \[-removed-\]\):/);
    expect(mail.text).toMatch(/\[\+\s*Scale in at a third of the core size\.\+\]/);
    expect(mail.html).toMatch(/<ins style="[^"]*underline[^"]*">\s*Scale in at a third of the core size\.<\/ins>/);
    expect(mail.text).toContain(`${warren.config.appUrl}/theses/${DEMO_SLUG}/members/sections/${entry.sectionKey}`);
    expect(mail.text).toContain(`Record 1 · chain head ${entry.hash}`);
    for (const email of [OPTED_OUT, OUTSIDER]) {
      expect(warren.inbox.to(email).filter((message) => message.subject?.includes("members' layer"))).toHaveLength(0);
    }
  });

  it("When a member opens the thesis, then the changed section says \"Updated\" with its date and links to its history; the others do not", async () => {
    const [entry] = await record();
    const page = (await member.get(`/theses/${DEMO_SLUG}`).expect(200)).text;
    const historyPath = `/theses/${DEMO_SLUG}/members/sections/${entry.sectionKey}`;
    expect(page).toContain(`Updated <time datetime="${entry.recordedAt.toISOString()}">`);
    expect(page).toContain(`<a href="${historyPath}">`);
    expect(page.match(/class="small section-updated"/g)).toHaveLength(1);
    const changed = page.slice(page.indexOf(`id="members-${entry.sectionKey}"`));
    expect(changed.slice(0, changed.indexOf('</section>'))).toContain('section-updated');

    const history = (await member.get(historyPath).expect(200)).text;
    expect(history).toContain(`Record #${entry.sequence}`);
    expect(history).toContain('Scale in at a third of the core size.');
    // The word-level diff says what was added in words too, not by colour alone.
    expect(history).toMatch(/<ins><span class="visually-hidden">\[added: <\/span>\s*Scale in at a third of the core size\.<span class="visually-hidden">\]<\/span><\/ins>/);
    expect(history).not.toContain('<del>');
    expect(history).toContain('As published');
    expect(history).toContain(entry.hash);
  });

  it('When someone without the thesis asks for a section history, then 403 with none of its content; an unknown section is 404 for a member', async () => {
    const [entry] = await record();
    const historyPath = `/theses/${DEMO_SLUG}/members/sections/${entry.sectionKey}`;
    for (const agent of [outsider, request(warren.app)]) {
      const res = await agent.get(historyPath);
      expect(res.status).toBe(403);
      expect(res.text).not.toContain('Scale in at a third');
      expect(res.text).not.toContain(entry.hash);
    }
    const publicPage = (await outsider.get(`/theses/${DEMO_SLUG}`).expect(200)).text;
    expect(publicPage).not.toContain('section-updated');
    expect(publicPage).not.toContain(historyPath);
    await member.get(`/theses/${DEMO_SLUG}/members/sections/no-such-section`).expect(404);
  });

  it('When the editor is saved untouched, then nothing is recorded', async () => {
    const count = (await record()).length;
    await editMemberBody(admin, DEMO_SLUG, 0, (body) => body);
    expect(await record()).toHaveLength(count);
  });

  it('When a revision is restored, then the members\' sections it changes back are recorded too', async () => {
    const count = (await record()).length;
    const revisions = await warren.db.thesisRevision.findMany({ where: { thesisId }, orderBy: { number: 'asc' } });
    const first = revisions[0].number;
    expectStatus(await submitForm(admin, `/admin/theses/${DEMO_SLUG}/revisions`, `/admin/theses/${DEMO_SLUG}/revisions/${first}/restore`, { confirm: 'yes' }), 303);
    const rows = await record();
    expect(rows).toHaveLength(count + 1);
    expect(rows.at(-1)!.sectionText).not.toContain('Scale in at a third');
    expect(rows.at(-1)!.previousSectionText).toContain('Scale in at a third');
    expect(verifyChain(rows.map(toChainEntry)).ok).toBe(true);
    // The newest change, first on the history page, shows the sentence taken out.
    const history = (await member.get(`/theses/${DEMO_SLUG}/members/sections/${rows.at(-1)!.sectionKey}`).expect(200)).text;
    const newest = history.slice(history.indexOf(`id="change-${rows.at(-1)!.sequence}"`));
    expect(newest.slice(0, newest.indexOf('</section>'))).toMatch(/<del><span class="visually-hidden">\[removed: <\/span>\s*Scale in at a third of the core size\.<span class="visually-hidden">\]<\/span><\/del>/);
  });

  it('When a draft thesis has its members\' sections edited, then nothing is recorded', async () => {
    expectStatus(await submitForm(admin, '/admin/theses/new', '/admin/theses/new', thesisForm({ slug: 'still-a-draft' }) as Record<string, string>), 303);
    await editMemberBody(admin, 'still-a-draft', 0, (body) => `${body}\n\nA draft note.`);
    const draft = await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'still-a-draft' }, include: { memberSections: true } });
    expect(draft.memberSections.some((section) => section.body.includes('A draft note.'))).toBe(true);
    expect(await warren.db.signalUpdate.count({ where: { thesisId: draft.id } })).toBe(0);
  });

  it('When a member downloads the record holding signal updates and section changes, then verify-log reports it intact', async () => {
    const { signals } = await demoSignals(warren);
    await recordUpdate(admin, { signalId: signals[0].id, status: 'strengthening', occurredOn: '2026-11-25', note: 'A signal move between section edits.' });
    await editMemberBody(admin, DEMO_SLUG, 1, (body) => `${body}\n\nEntry gate two moves to the second audited quarter.`);
    const { file, log } = await download('intact.json');
    const kinds = log.updates.map((entry: { kind?: string }) => entry.kind ?? 'signal');
    expect(kinds).toEqual([...(await record()).map((row) => row.kind)]);
    expect(kinds).toContain('signal');
    expect(log.hashing.sectionCanonicalFields).toEqual(['sequence', 'id', 'thesisId', 'kind', 'sectionKey', 'sectionTitle', 'textSha256', 'previousTextSha256', 'editorial', 'recordedAt', 'alert', 'prevHash']);
    expect(log.format).toBe('warren-signal-log/2');
    const board = (await member.get(`/theses/${DEMO_SLUG}/signals`).expect(200)).text;
    expect(board).toContain(log.head.hash);
    const last = log.updates.at(-1);
    expect(last.text).toContain('Entry gate two moves to the second audited quarter.');
    const result = await verifyLog(file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`OK: ${log.updates.length} updates, chain head ${log.head.hash}`);
  });

  it('When a section change is rewritten in the database (its text, or its title), then verify-log names that link as broken', async () => {
    const [first] = await record();
    await warren.db.signalUpdate.update({ where: { id: first.id }, data: { sectionText: `${first.sectionText} Quietly added.` } });
    const text = await download('text-tampered.json');
    const byText = await verifyLog(text.file);
    expect(byText.code).toBe(1);
    expect(byText.stderr).toContain(`BROKEN at update #1 of ${text.log.updates.length} (id ${first.id}): its text does not match textSha256`);

    await warren.db.signalUpdate.update({ where: { id: first.id }, data: { sectionText: first.sectionText, sectionTitle: 'Renamed quietly' } });
    const title = await download('title-tampered.json');
    const byTitle = await verifyLog(title.file);
    expect(byTitle.code).toBe(1);
    expect(byTitle.stderr).toContain(`BROKEN at update #1 of ${title.log.updates.length} (id ${first.id}): content does not match its hash`);

    await warren.db.signalUpdate.update({ where: { id: first.id }, data: { sectionTitle: first.sectionTitle } });
    expect((await verifyLog((await download('restored.json')).file)).code).toBe(0);

    // A salt is part of what the digest proves: another salt, or a text served without its salt, does not match.
    await warren.db.signalUpdate.update({ where: { id: first.id }, data: { textSalt: 'f'.repeat(32) } });
    expect((await verifyLog((await download('salt-tampered.json')).file)).stderr).toContain('its text does not match textSha256');
    await warren.db.signalUpdate.update({ where: { id: first.id }, data: { textSalt: first.textSalt } });
    const { file: unsalted, log } = await download('unsalted.json');
    const { textSalt: _salt, ...withoutSalt } = log.updates[0];
    writeFileSync(unsalted, JSON.stringify({ ...log, updates: [withoutSalt, ...log.updates.slice(1)] }));
    expect((await verifyLog(unsalted)).stderr).toContain('its text does not match textSha256');
  });

  it('When `npm run thesis -- import` changes a members\' section of the published thesis, then it is recorded and members are alerted, as from the editor', async () => {
    const count = (await record()).length;
    const alertsBefore = (await sectionAlerts()).length;
    const content = contentOf((await findThesisForEditing(warren.db, DEMO_SLUG))!);
    content.memberSections[3] = { ...content.memberSections[3], body: `${content.memberSections[3].body}\n\nRotation now waits for the second print.` };
    const file = path.join(dir, 'edited-offline.md');
    writeFileSync(file, exportThesis(content));
    const { said, io } = captured();
    expect(await runThesisCommand(warren.deps, ['import', file, '--as', 'writer@example.com'], io)).toBe(0);
    expect(said.err).toBe('');
    const rows = await record();
    expect(rows).toHaveLength(count + 1);
    expect(rows.at(-1)).toMatchObject({ kind: 'section', sectionTitle: content.memberSections[3].title, editorial: false });
    expect(rows.at(-1)!.sectionText).toContain('Rotation now waits for the second print.');
    expect((await sectionAlerts()).map((message) => message.recipient).slice(alertsBefore)).toEqual([MEMBER]);
  });

  it('When the admin ticks "Editorial fix", then the change is recorded as editorial but no member is alerted', async () => {
    const alertsBefore = (await sectionAlerts()).length;
    const count = (await record()).length;
    await editMemberBody(admin, DEMO_SLUG, 2, (body) => `${body}\n\nTypo fixed: "recieve" now reads "receive".`, [['editorial', 'yes']]);
    const rows = await record();
    expect(rows).toHaveLength(count + 1);
    expect(rows.at(-1)).toMatchObject({ kind: 'section', editorial: true, alert: false });
    expect(rows.at(-1)!.sectionText).toContain('Typo fixed');
    expect(await sectionAlerts()).toHaveLength(alertsBefore);
    expect(verifyChain(rows.map(toChainEntry)).ok).toBe(true);
  });

  it('When the "Editorial fix" field holds anything but "yes", then the save is refused with a clear message and nothing changes', async () => {
    const count = (await record()).length;
    const before = await sections();
    const page = await admin.get(`/admin/theses/${DEMO_SLUG}`).expect(200);
    expect(page.text).toContain('Editorial fix (typo, wording): record it, do not alert members');
    let seen = -1;
    const fields = submittedFields(page.text, `/admin/theses/${DEMO_SLUG}`).map(([name, value]): [string, string] =>
      name === 'memberBody' && ++seen === 0 ? [name, `${value} Changed.`] : [name, value],
    );
    const res = await admin.post(`/admin/theses/${DEMO_SLUG}`).type('form').send(new URLSearchParams([...fields, ['editorial', 'maybe']]).toString());
    expect(res.status).toBe(400);
    expect(res.text).toContain('The &quot;Editorial fix&quot; box sends &quot;yes&quot; or nothing; nothing was saved.');
    expect(await sections()).toEqual(before);
    expect(await record()).toHaveLength(count);
  });

  it('When a member watches the live stream, then a section change arrives as a section-update event holding its place in the sequence, and signal updates after it still arrive', async () => {
    const server = await listen(warren.app);
    const head = (await record()).at(-1)!.sequence;
    const stream = await SseClient.open(server.url, `/theses/${DEMO_SLUG}/signals/stream?after=${head}`, { Cookie: memberCookie });
    try {
      expect(stream.status).toBe(200);
      await editMemberBody(admin, DEMO_SLUG, 0, (body) => `${body}\n\nLive edit.`);
      const { signals } = await demoSignals(warren);
      await recordUpdate(admin, { signalId: signals[1].id, status: 'confirmed', note: 'After the section edit.' });
      await stream.until((client) => client.updates().length === 1, 'the signal update after the section change');
      const named = stream.events.map((event) => [event.event, event.id]);
      expect(named).toEqual([
        ['section-update', String(head + 1)],
        ['signal-update', String(head + 2)],
      ]);
    } finally {
      stream.close();
      await server.close();
    }
  });

  it("When another append takes the record's next link during a save, then the save is tried again whole and commits once", async () => {
    const count = (await record()).length;
    const revisions = await warren.db.thesisRevision.count({ where: { thesisId } });
    let calls = 0;
    // What PostgreSQL answers when a concurrent signal update inserted the same (thesisId, sequence) first.
    const racing: MembersSectionsHook = async (tx, event) => {
      if (++calls === 1) throw Object.assign(new Error('Unique constraint failed on (thesisId, sequence)'), { code: 'P2002' });
      await recordMembersSectionChanges(tx, event);
    };
    const content = contentOf((await findThesisForEditing(warren.db, DEMO_SLUG))!);
    content.memberSections[1] = { ...content.memberSections[1], body: `${content.memberSections[1].body}\n\nSaved on the second try.` };
    await saveThesis(warren.db, DEMO_SLUG, content, { authorEmail: ADMIN, at: warren.clock.now(), editorial: true, membersSectionsChanged: racing });
    expect(calls).toBe(2);
    expect(await warren.db.thesisRevision.count({ where: { thesisId } })).toBe(revisions + 1);
    const rows = await record();
    expect(rows).toHaveLength(count + 1);
    expect(rows.at(-1)!.sectionText).toContain('Saved on the second try.');
    expect(verifyChain(rows.map(toChainEntry)).ok).toBe(true);
  });
});
