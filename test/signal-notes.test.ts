import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, expectStatus, startWarren, submitForm, type Warren } from './support/harness.ts';
import { ADMIN, ADMIN_PAGE, buyAndSignIn, demoSignals, recordUpdate, signInAdmin } from './support/signals.ts';
import { hashUpdate, verifyChain } from '../server/signals/hash-chain.ts';
import { toChained } from '../server/signals/signal-log.repo.ts';

const BOARD = `/theses/${DEMO_SLUG}/signals`;

describe('Signal notes are rendered once, when recorded', () => {
  let warren: Warren;
  let admin: Awaited<ReturnType<typeof signInAdmin>>;
  let member: ReturnType<typeof request.agent>;
  let signalId: string;
  let thesisId: string;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
    ({ agent: member } = await buyAndSignIn(warren, 'notes.member@example.com'));
    const { signals, thesis } = await demoSignals(warren);
    [signalId, thesisId] = [signals[0].id, thesis.id];
  });
  afterAll(() => warren.close());

  const rows = () => warren.db.signalUpdate.findMany({ where: { thesisId }, orderBy: { sequence: 'asc' } });
  const post = (note: string) => submitForm(admin, ADMIN_PAGE, ADMIN_PAGE, { signalId, status: 'watching', occurredOn: '2026-11-20', note });

  it('When a note nests 19,000 quotes deep, then it is refused with a clear message and nothing is recorded; the board still answers', async () => {
    const before = await warren.db.signalUpdate.count();
    const refused = expectStatus(await post('>'.repeat(19_000)), 400);
    expect(refused.text).toContain('This note cannot be recorded: its quotes nest 19000 deep');
    const listsTooDeep = expectStatus(await post(Array.from({ length: 30 }, (_, depth) => `${'  '.repeat(depth)}- level ${depth}`).join('\n')), 400);
    expect(listsTooDeep.text).toContain('lists nest more than 10 deep');
    expect(await warren.db.signalUpdate.count()).toBe(before);
    await member.get(BOARD).expect(200);
  });

  it('When a note is costly to render (10,000 "_a"), then its HTML is stored with it and the board serves that HTML without rendering again', async () => {
    const sequence = await recordUpdate(admin, { signalId, status: 'strengthening', note: '_a'.repeat(10_000) });
    const row = (await rows()).find((update) => update.sequence === sequence)!;
    expect(row.note).toBe('_a'.repeat(10_000));
    expect(row.noteHtml).toMatch(/^<p>.*_a/);

    // What the board shows is the stored HTML: replace it, and the page follows.
    await warren.db.signalUpdate.update({ where: { id: row.id }, data: { noteHtml: '<p>stored-html-marker</p>' } });
    expect((await member.get(BOARD).expect(200)).text).toContain('<p>stored-html-marker</p>');
    // The chain covers the Markdown, not the HTML: it still holds.
    expect(verifyChain((await rows()).map(toChained)).ok).toBe(true);
  });

  it('When an update recorded before notes were stored rendered holds a note the renderer cannot handle, then the board shows it as text, and stores that once', async () => {
    const head = (await rows()).at(-1)!;
    const now = warren.clock.now().toISOString();
    const unhashed = {
      sequence: head.sequence + 1,
      id: randomUUID(),
      thesisId,
      signalId,
      signalTitle: head.signalTitle,
      status: 'watching',
      previousStatus: head.status,
      note: '>'.repeat(19_000),
      sourceUrl: null,
      correctsSequence: null,
      occurredAt: now,
      recordedAt: now,
      alert: false,
      prevHash: head.hash,
    };
    // As the record held it before the noteHtml column: no HTML.
    await warren.db.signalUpdate.create({
      data: { ...unhashed, hash: hashUpdate(unhashed), occurredAt: new Date(now), recordedAt: new Date(now), noteHtml: null },
    });

    const board = await member.get(BOARD).expect(200);
    expect(board.text).toContain(`<p>${'&gt;'.repeat(19_000)}</p>`);
    const stored = await warren.db.signalUpdate.findUniqueOrThrow({ where: { id: unhashed.id } });
    expect(stored.noteHtml).toBe(`<p>${'&gt;'.repeat(19_000)}</p>`);
    await member.get(BOARD).expect(200);
    expect(verifyChain((await rows()).map(toChained)).ok).toBe(true);
  });
});
