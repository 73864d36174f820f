import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../server/paths.ts';
import { CHAINED_FIELDS, GENESIS_HASH, canonicalJson, hashUpdate, verifyChain, type HashedUpdate } from '../server/signals/hash-chain.ts';
import { DEMO_SLUG, startWarren, type Warren } from './support/harness.ts';
import { buyAndSignIn, demoSignals, recordUpdate, signInAdmin } from './support/signals.ts';

const LOG = `/theses/${DEMO_SLUG}/signals/log.json`;

/** Runs `npm run verify-log -- <file>` the way a member would (tsx on the script), and reports how it ended. */
function verifyLog(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['scripts/verify-log.ts', ...args], { cwd: REPO_ROOT }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function chainOf(notes: string[]): HashedUpdate[] {
  const updates: HashedUpdate[] = [];
  for (const [index, note] of notes.entries()) {
    const unhashed = {
      sequence: index + 1,
      id: `id-${index + 1}`,
      thesisId: 't1',
      signalId: 's1',
      signalTitle: 'Signal',
      status: 'confirmed',
      previousStatus: 'watching',
      note,
      sourceUrl: null,
      correctsSequence: null,
      occurredAt: '2026-11-20T00:00:00.000Z',
      recordedAt: `2026-11-26T12:00:0${index}.000Z`,
      alert: false,
      prevHash: updates.at(-1)?.hash ?? GENESIS_HASH,
    };
    updates.push({ ...unhashed, hash: hashUpdate(unhashed) });
  }
  return updates;
}

describe('The hash chain', () => {
  it('When an update is hashed, then it is SHA-256 over the canonical JSON, keys in the documented order whatever the input order', () => {
    const [update] = chainOf(['a note']);
    const shuffled = Object.fromEntries(Object.entries(update).reverse()) as unknown as HashedUpdate;
    expect(canonicalJson(shuffled)).toBe(canonicalJson(update));
    expect(Object.keys(JSON.parse(canonicalJson(update)))).toEqual([...CHAINED_FIELDS]);
    expect(canonicalJson(update)).not.toContain('"hash"');
    expect(update.hash).toBe(createHash('sha256').update(canonicalJson(update)).digest('hex'));
  });

  it('When the chain is intact, then it verifies; when a link is edited, removed, reordered or re-pointed, then the first broken link is named', () => {
    const updates = chainOf(['one', 'two', 'three', 'four']);
    expect(verifyChain(updates)).toEqual({ ok: true, count: 4, head: updates[3].hash });
    expect(verifyChain([])).toEqual({ ok: true, count: 0, head: GENESIS_HASH });

    const edited = updates.map((update) => (update.sequence === 2 ? { ...update, note: 'rewritten' } : update));
    expect(verifyChain(edited)).toMatchObject({ ok: false, brokenAt: 2, reason: expect.stringContaining('does not match its hash') });
    const backdated = updates.map((update) => (update.sequence === 3 ? { ...update, recordedAt: '2026-11-01T00:00:00.000Z' } : update));
    expect(verifyChain(backdated)).toMatchObject({ ok: false, brokenAt: 3 });
    expect(verifyChain([updates[0], updates[2], updates[3]])).toMatchObject({ ok: false, brokenAt: 2, reason: expect.stringContaining('expected sequence 2') });
    // Even a re-numbered removal is caught: the next link still names the removed one's hash.
    const renumbered = [updates[0], { ...updates[2], sequence: 2 }];
    expect(verifyChain(renumbered)).toMatchObject({ ok: false, brokenAt: 2 });
    expect(verifyChain([updates[0], null as unknown as HashedUpdate])).toMatchObject({ ok: false, brokenAt: 2, reason: 'is not an update object' });
    const repointed = [updates[0], { ...updates[1], prevHash: GENESIS_HASH }];
    expect(verifyChain(repointed)).toMatchObject({ ok: false, brokenAt: 2, reason: expect.stringContaining('prevHash') });
  });

  it('When an entry has a kind the verifier does not know, or a key its hash does not cover, then it is refused, not checked as something else', () => {
    const updates = chainOf(['one', 'two']);
    // Still hashes as a signal update (kind is not among its hashed keys), so only the shape check can catch it.
    const unknownKind = [updates[0], { ...updates[1], kind: 'dividend' }];
    expect(verifyChain(unknownKind)).toMatchObject({ ok: false, brokenAt: 2, reason: expect.stringContaining('kind "dividend"') });
    const labelledSignal = [{ ...updates[0], kind: 'signal' }];
    expect(verifyChain(labelledSignal)).toMatchObject({ ok: false, brokenAt: 1, reason: expect.stringContaining('kind "signal"') });
    const extraField = [updates[0], { ...updates[1], price: '12.00' }];
    expect(verifyChain(extraField)).toMatchObject({ ok: false, brokenAt: 2, reason: expect.stringContaining('carries price, which its hash does not cover') });
    expect(verifyChain(updates)).toMatchObject({ ok: true, count: 2 });
  });

  it('When an entry’s time breaks the record’s rules (not a UTC time, slipped in behind the one before), then the chain is refused there', () => {
    const rehash = <T extends { hash: string }>(entry: T): T => ({ ...entry, hash: hashUpdate(entry as never) });
    const [first] = chainOf(['one']);
    const malformed = rehash({ ...first, recordedAt: '26/11/2026' });
    expect(verifyChain([malformed])).toMatchObject({ ok: false, brokenAt: 1, reason: expect.stringContaining('is not an ISO 8601 UTC time') });
    // Recorded six minutes before the entry it follows: more than clocks and retries explain.
    const second = rehash({ ...chainOf(['one', 'two'])[1], recordedAt: '2026-11-26T11:54:00.000Z', prevHash: first.hash });
    expect(verifyChain([first, second])).toMatchObject({ ok: false, brokenAt: 2, reason: expect.stringContaining('before the entry it follows') });
    const withinTolerance = rehash({ ...second, recordedAt: '2026-11-26T11:56:00.000Z' });
    expect(verifyChain([first, withinTolerance])).toMatchObject({ ok: true });
  });

  it('When a position’s trade date is after its recording or more than 4 days before it, then the record is refused as backdated', () => {
    const position = (occurredAt: string) => {
      const unhashed = {
        sequence: 1, id: 'p1', thesisId: 't1', kind: 'position' as const, action: 'entry' as const, instrument: 'CBRS', price: '41.20', currency: 'USD',
        sizeNote: null, note: '', occurredAt, recordedAt: '2026-11-26T12:00:00.000Z', alert: false, prevHash: GENESIS_HASH,
      };
      return [{ ...unhashed, hash: hashUpdate(unhashed) }];
    };
    expect(verifyChain(position('2026-11-22T00:00:00.000Z'))).toMatchObject({ ok: true });
    expect(verifyChain(position('2026-11-21T00:00:00.000Z'))).toMatchObject({ ok: false, reason: expect.stringContaining('backdated') });
    expect(verifyChain(position('2026-11-27T00:00:00.000Z'))).toMatchObject({ ok: false, reason: expect.stringContaining('after it was recorded') });
  });

  it('When an entry is still marked embargoed well after its reveal time, then a check as of now refuses it; within the cache’s minutes it passes', () => {
    const [first] = chainOf(['one']);
    const stub = { sequence: 1, recordedAt: first.recordedAt, revealsAt: '2026-12-26T12:00:00.000Z', prevHash: GENESIS_HASH, hash: first.hash, embargoed: true as const };
    const asOf = (iso: string) => verifyChain([stub], { allowEmbargoed: true, now: new Date(iso), embargoDays: 30 });
    expect(asOf('2026-12-26T12:10:00.000Z')).toMatchObject({ ok: true });
    expect(asOf('2026-12-26T12:20:00.000Z')).toMatchObject({ ok: false, reason: expect.stringContaining('its embargo ended 2026-12-26T12:00:00.000Z') });
    // Without a stated reveal time, the export's embargo counts from recordedAt.
    const { revealsAt: _stated, ...unstated } = stub;
    expect(verifyChain([unstated], { allowEmbargoed: true, now: new Date('2026-12-27T00:00:00.000Z'), embargoDays: 30 })).toMatchObject({ ok: false });
    expect(verifyChain([unstated], { allowEmbargoed: true, now: new Date('2026-12-27T00:00:00.000Z'), embargoDays: 60 })).toMatchObject({ ok: true });
    expect(verifyChain([{ ...stub, revealsAt: '2026-01-01T00:00:00.000Z' }], { allowEmbargoed: true, embargoDays: 30 })).toMatchObject({ ok: false, reason: expect.stringContaining('revealsAt') });
    // A reveal time later than the stated embargo allows, or no stated embargo at all, is a withheld entry in disguise.
    expect(verifyChain([{ ...stub, revealsAt: '2099-01-01T00:00:00.000Z' }], { allowEmbargoed: true, embargoDays: 30 })).toMatchObject({
      ok: false,
      reason: expect.stringContaining("later than the export's 30-day embargo allows"),
    });
    expect(verifyChain([stub], { allowEmbargoed: true })).toMatchObject({ ok: false, reason: expect.stringContaining('states no embargo') });
    // Nor may an entry be recorded after the time of the check.
    expect(verifyChain([{ ...stub, recordedAt: '2027-01-01T00:00:00.000Z', revealsAt: '2027-01-01T00:00:00.000Z' }], { allowEmbargoed: true, embargoDays: 30, now: new Date('2026-12-01T00:00:00.000Z') })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('after the time of this check'),
    });
  });
});

describe('Verifying the stored record', () => {
  let warren: Warren;
  let member: Awaited<ReturnType<typeof buyAndSignIn>>['agent'];
  let dir: string;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: 'publisher@example.com' });
    dir = mkdtempSync(path.join(tmpdir(), 'warren-log-'));
    const { signals } = await demoSignals(warren);
    const admin = await signInAdmin(warren);
    for (const [index, status] of ['strengthening', 'confirmed', 'weakening'].entries()) {
      warren.clock.advance(60_000);
      await recordUpdate(admin, { signalId: signals[index].id, status, note: `Note ${index + 1}`, sourceUrl: index === 0 ? 'https://example.com/s' : undefined });
    }
    ({ agent: member } = await buyAndSignIn(warren, 'member@example.com'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await warren.close();
  });

  const download = async (name: string) => {
    const res = await member.get(LOG).expect(200);
    const file = path.join(dir, name);
    writeFileSync(file, res.text);
    return { file, log: JSON.parse(res.text) };
  };

  it('When a member downloads the record and runs verify-log on it, then it reports the chain as intact', async () => {
    const { file, log } = await download('intact.json');
    const result = await verifyLog(file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`OK: 3 updates, chain head ${log.head.hash}`);
    const witnessed = await verifyLog(file, '--witness', `2:${log.updates[1].hash}`);
    expect(witnessed.code).toBe(0);
  });

  it('When a row is changed in the database, then the served record no longer verifies and verify-log names the first broken link', async () => {
    const second = await warren.db.signalUpdate.findFirstOrThrow({ where: { sequence: 2 } });
    await warren.db.signalUpdate.update({ where: { id: second.id }, data: { note: 'Quietly rewritten', status: 'failed' } });
    const { file, log } = await download('tampered.json');
    expect(verifyChain(log.updates)).toMatchObject({ ok: false, brokenAt: 2 });
    const result = await verifyLog(file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`BROKEN at update #2 of 3 (id ${second.id}): content does not match its hash`);
  });

  it('When the whole chain was recomputed after an alert went out, then the witnessed head from that alert exposes it', async () => {
    const { log } = await download('before.json');
    const witness = `3:${log.updates[2].hash}`;
    // A forger rewrites history and re-hashes every link: the chain verifies on its own...
    const forged = chainOf(['forged 1', 'forged 2', 'forged 3']);
    const file = path.join(dir, 'forged.json');
    writeFileSync(file, JSON.stringify({ updates: forged }));
    expect((await verifyLog(file)).code).toBe(0);
    // ...but not against the head a member's inbox holds.
    const result = await verifyLog(file, '--witness', witness);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('witness #3');
  });

  it('When the file is not a record, then verify-log says so and exits with 2', async () => {
    const file = path.join(dir, 'junk.json');
    writeFileSync(file, '{"nothing": true}');
    const result = await verifyLog(file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no "updates" array');
  });
});
