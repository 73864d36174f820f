import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../server/paths.ts';
import { DEMO_SLUG, expectStatus, submitForm, type Warren, startWarren } from './support/harness.ts';
import { ADMIN, buyAndSignIn, demoSignals, recordUpdate, signInAdmin } from './support/signals.ts';
import { submittedFields } from './support/editor-form.ts';
import { hashUpdate, verifyChain, type ChainEntry } from '../server/signals/hash-chain.ts';
import { toChainEntry } from '../server/signals/signal-log.repo.ts';
import { exportThesisBySlug, parseThesisFile } from '../server/publishing/markdown-file.ts';
import { isRevealed, revealedFlags } from '../server/signals/public-record.ts';
import { median } from '../server/signals/record-summary.ts';

type Agent = Awaited<ReturnType<typeof signInAdmin>>;
const DAY = 24 * 60 * 60 * 1000;
const MEMBER = 'record.member@example.com';
// Paid text of a members' section: it must never reach the public record in any form.
const SECRET = 'SECRET-ENTRY: buy below 41.20, stop at 36.';

/** The test's clock, once it runs: verify-log checks embargoes as of that time (--now), not the machine's. */
let testNow: () => Date = () => new Date();

function verifyLog(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const asOf = ['--now', testNow().toISOString()];
    execFile(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['scripts/verify-log.ts', ...args, ...asOf], { cwd: REPO_ROOT }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The editor's fields as the browser sends them, with some replaced. */
async function editorFields(admin: Agent, slug: string, replace: (name: string, value: string, index: number) => string) {
  const page = await admin.get(`/admin/theses/${slug}`).expect(200);
  const seen = new Map<string, number>();
  return submittedFields(page.text, `/admin/theses/${slug}`).map(([name, value]): [string, string] => {
    const index = seen.get(name) ?? 0;
    seen.set(name, index + 1);
    return [name, replace(name, value.replace(/\r\n/g, '\n'), index)];
  });
}

async function saveEditor(admin: Agent, slug: string, fields: [string, string][]) {
  return admin.post(`/admin/theses/${slug}`).type('form').send(new URLSearchParams(fields).toString());
}

describe('The public track record', () => {
  let warren: Warren;
  let admin: Agent;
  let member: Agent;
  let thesisId: string;
  const anonymous = () => request(warren.app);
  const dir = mkdtempSync(path.join(tmpdir(), 'warren-record-'));
  const rows = () => warren.db.signalUpdate.findMany({ where: { thesisId }, orderBy: { sequence: 'asc' } });
  const saveExport = async (name: string) => {
    const res = await anonymous().get(`/record/${DEMO_SLUG}.json`).expect(200);
    const file = path.join(dir, name);
    writeFileSync(file, res.text);
    return { file, record: JSON.parse(res.text), text: res.text };
  };
  let earlyHeads: { sequence: number; hash: string; recordedAt: string }[];

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    testNow = () => warren.clock.now();
    admin = await signInAdmin(warren);
    const { thesis, signals } = await demoSignals(warren);
    thesisId = thesis.id;
    const [first, second] = signals;
    // Two calls: one confirmed after two days, one that failed at once; and a members' section change.
    await recordUpdate(admin, { signalId: first.id, status: 'strengthening', note: 'Early evidence of adoption.' });
    warren.clock.advance(2 * DAY);
    await recordUpdate(admin, { signalId: first.id, status: 'confirmed', note: 'Confirmed by audited numbers.' });
    await recordUpdate(admin, { signalId: second.id, status: 'failed', note: 'The largest customer grew its share.' });
    warren.clock.advance(60_000);
    expectStatus(await saveEditor(admin, DEMO_SLUG, await editorFields(admin, DEMO_SLUG, (name, value, index) => (name === 'memberBody' && index === 0 ? `${value}\n\n${SECRET}` : value))), 303);
    expect((await rows()).map((row) => row.kind)).toEqual(['signal', 'signal', 'signal', 'section']);
    ({ agent: member } = await buyAndSignIn(warren, MEMBER));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await warren.close();
  });

  it('When the embargo has not passed, then the public sees each entry only as its number, time and hash, and counts nothing', async () => {
    const stored = await rows();
    const res = await anonymous().get('/record').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    for (const row of stored) expect(res.text).toContain(row.hash);
    expect(res.text.match(/data-embargoed/g)).toHaveLength(stored.length);
    expect(res.text).not.toMatch(/class="status status-/);
    expect(res.text).not.toContain('Chain head then');
    expect(res.text).not.toContain(stored[3].textSha256!);
    expect(res.text).not.toContain(SECRET);
    expect(res.text).toMatch(/<strong data-calls>0<\/strong> calls made:\s*<span data-confirmed>0<\/span> confirmed,\s*<span data-weakened>0<\/span> weakened,\s*<span data-failed>0<\/span> failed/);
    expect(res.text).toContain('Counted from revealed entries only');
    expect(res.text).toContain('entries revealed 30 day(s) after they are recorded');

    const { file, record } = await saveExport('before.json');
    expect(record.format).toBe('warren-public-record/1');
    expect(record.updates).toEqual(
      stored.map((row) => ({ sequence: row.sequence, recordedAt: row.recordedAt.toISOString(), revealsAt: row.revealsAt!.toISOString(), prevHash: row.prevHash, hash: row.hash, embargoed: true })),
    );
    expect(stored.every((row) => row.revealsAt!.getTime() === row.recordedAt.getTime() + 30 * DAY)).toBe(true);
    const verified = await verifyLog(file);
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toContain('0 revealed and recomputed, 4 under embargo: links only');

    earlyHeads = (await anonymous().get(`/theses/${DEMO_SLUG}/record/heads.json`).expect(200)).body.heads;
  });

  it('When a member who holds the thesis looks, then every entry is live, counted, and private; the section shows only its title and digests', async () => {
    const stored = await rows();
    const res = await member.get('/record').expect(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.text).not.toContain('data-embargoed');
    expect(res.text).toMatch(/Strengthening → <span class="status status-confirmed">Confirmed<\/span>/);
    expect(res.text).toContain('<span class="status status-failed">Failed</span>');
    expect(res.text).toContain(`Text digest <code>${stored[3].textSha256}</code>`);
    expect(res.text).toContain(`Chain head then: #4 <code>${stored[3].hash}</code>`);
    expect(res.text).toMatch(/<strong data-calls>2<\/strong> calls made:\s*<span data-confirmed>1<\/span> confirmed,\s*<span data-weakened>0<\/span> weakened,\s*<span data-failed>1<\/span> failed,\s*<span data-open>0<\/span> still open/);
    // Confirmed two days after its first entry, failed at once: the median is one day.
    expect(res.text).toContain('<span data-median>1 days (2 resolved)</span>');
    expect(res.text).not.toContain(SECRET);
    // The export is the public's, whoever asks.
    const exported = await member.get(`/record/${DEMO_SLUG}.json`).expect(200);
    expect(exported.body.updates.every((entry: { embargoed?: boolean }) => entry.embargoed)).toBe(true);
  });

  it('When the embargo has passed for the first entry only, then the public reads that one, counts only it, and the export verifies link by link', async () => {
    // Entry #1 was recorded two days (and a minute) before the others: 28 days on, only its 30 days are over.
    warren.clock.advance(28 * DAY);
    const stored = await rows();
    const page = (await anonymous().get('/record').expect(200)).text;
    expect(page.match(/data-embargoed/g)).toHaveLength(3);
    expect(page).toContain('<span class="status status-strengthening">Strengthening</span>');
    expect(page).not.toContain('status-confirmed');
    expect(page).toMatch(/<strong data-calls>1<\/strong> calls made:\s*<span data-confirmed>0<\/span> confirmed,\s*<span data-weakened>0<\/span> weakened,\s*<span data-failed>0<\/span> failed,\s*<span data-open>1<\/span> still open/);

    const { file, record } = await saveExport('partial.json');
    expect(record.updates[0]).toMatchObject({ sequence: 1, signalTitle: stored[0].signalTitle, status: 'strengthening', hash: stored[0].hash });
    expect(record.updates.slice(1).map((entry: { embargoed?: boolean }) => entry.embargoed)).toEqual([true, true, true]);
    const verified = await verifyLog(file, '--witness', `1:${earlyHeads[0].hash}`);
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toContain('1 revealed and recomputed, 3 under embargo: links only');
    // A head still under embargo cannot vouch for the entries before it yet: its link is taken as given.
    const early = await verifyLog(file, '--witness', `4:${earlyHeads[3].hash}`);
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('witness #4 is under embargo in this record');
  });

  it('When a forged export rewrites a revealed entry and re-links the embargoed one after it, then a head witnessed earlier does not vouch for it', async () => {
    const { record } = await saveExport('partial-again.json');
    const [first, second, ...rest] = record.updates;
    // The call is rewritten; the hash is recomputed; the embargoed link after it is pointed at the new hash.
    const { hash: _hash, ...rewrittenFirst } = { ...first, status: 'confirmed', note: 'Confirmed from day one.' };
    const forgedFirst = { ...rewrittenFirst, hash: hashUpdate(rewrittenFirst) };
    const forged = path.join(dir, 'forged-relink.json');
    writeFileSync(forged, JSON.stringify({ ...record, updates: [forgedFirst, { ...second, prevHash: forgedFirst.hash }, ...rest] }));
    expect((await verifyLog(forged)).code).toBe(0);
    const witnessed = await verifyLog(forged, '--witness', `4:${earlyHeads[3].hash}`);
    expect(witnessed.code).not.toBe(0);
    expect(witnessed.stdout).not.toContain('witness(es) match');
    expect((await verifyLog(forged, '--witness', `1:${earlyHeads[0].hash}`)).code).toBe(1);
  });

  it('When the embargo has passed, then the public sees the moves and counts, and the export verifies against heads taken before the reveal', async () => {
    warren.clock.advance(3 * DAY);
    // Sessions do not last a month: the publisher signs in again for the tests that follow.
    admin = await signInAdmin(warren);
    const stored = await rows();
    const res = await anonymous().get('/record').expect(200);
    expect(res.text).not.toContain('data-embargoed');
    expect(res.text).toContain('<span class="status status-failed">Failed</span>');
    expect(res.text).toContain(`Chain head then: #1 <code>${stored[0].hash}</code>`);
    expect(res.text).toMatch(/<strong data-calls>2<\/strong> calls made:/);
    expect(res.text).not.toContain(SECRET);

    const { file, record, text } = await saveExport('after.json');
    expect(text).not.toContain(SECRET);
    expect(record.updates.map((entry: { embargoed?: boolean }) => entry.embargoed)).toEqual([undefined, undefined, undefined, undefined]);
    const section = record.updates[3];
    expect(Object.keys(section)).not.toContain('text');
    expect(Object.keys(section)).not.toContain('previousText');
    expect(section).toMatchObject({ kind: 'section', textSha256: stored[3].textSha256, hash: stored[3].hash });
    // The salts are members' (log.json): with one, the public could test guesses of the paid text.
    expect(Object.keys(section)).not.toContain('textSalt');
    expect(JSON.stringify(record)).not.toContain(stored[3].textSalt!);
    expect(verifyChain(record.updates)).toEqual({ ok: true, count: 4, head: stored[3].hash });

    const witnesses = earlyHeads.flatMap((head) => ['--witness', `${head.sequence}:${head.hash}`]);
    const verified = await verifyLog(file, ...witnesses);
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toContain('4 revealed and recomputed, 0 under embargo');
    expect(verified.stdout).toContain('4 witness(es) match');
  });

  it('When a forged export marks a revealed entry embargoed (a lost call hidden) while later ones stay revealed, then verify-log refuses it', async () => {
    const { record } = await saveExport('after-again.json');
    // The forger may claim any reveal time: the hash does not cover it.
    const hide = (entry: { sequence: number; recordedAt: string; prevHash: string; hash: string }, revealsAt?: string) => ({
      sequence: entry.sequence,
      recordedAt: entry.recordedAt,
      ...(revealsAt ? { revealsAt } : {}),
      prevHash: entry.prevHash,
      hash: entry.hash,
      embargoed: true,
    });
    // #3 is the failed call: hidden, though the export's 30 days since it was recorded are long over.
    const stale = path.join(dir, 'stale-loser.json');
    writeFileSync(stale, JSON.stringify({ ...record, updates: record.updates.map((entry: ChainEntry, index: number) => (index === 2 ? hide(entry) : entry)) }));
    const staleResult = await verifyLog(stale);
    expect(staleResult.code).toBe(1);
    expect(staleResult.stderr).toContain('BROKEN at update #3 of 4');
    expect(staleResult.stderr).toContain('is still marked embargoed, though its embargo ended');
    // Claimed to reveal in ten years: more than the export's embargo allows.
    const hidden = path.join(dir, 'hidden-loser.json');
    const tenYears = new Date(testNow().getTime() + 3650 * DAY).toISOString();
    const withheld = record.updates.map((entry: ChainEntry, index: number) => (index === 2 ? hide(entry, tenYears) : entry));
    writeFileSync(hidden, JSON.stringify({ ...record, updates: withheld }));
    const result = await verifyLog(hidden, '--witness', `4:${earlyHeads[3].hash}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('BROKEN at update #3 of 4');
    expect(result.stderr).toContain("later than the export's 30-day embargo allows");
    // Checked without a time, the next rule still holds: #4 is shown after #3, which is under embargo.
    expect(verifyChain(record.updates.map((entry: ChainEntry, index: number) => (index === 2 ? hide(entry) : entry)), { allowEmbargoed: true, embargoDays: 30 })).toMatchObject({
      ok: false,
      brokenAt: 4,
      reason: expect.stringContaining('after #3, which is under embargo'),
    });
    // An embargoed entry is its link only: content beside it would be taken on trust.
    const dressed = path.join(dir, 'dressed.json');
    writeFileSync(dressed, JSON.stringify({ ...record, updates: [...record.updates.slice(0, 3), { ...hide(record.updates[3]), status: 'confirmed', note: 'Trust me.' }] }));
    const dressedResult = await verifyLog(dressed);
    expect(dressedResult.code).toBe(1);
    expect(dressedResult.stderr).toContain('BROKEN at update #4 of 4');
    expect(dressedResult.stderr).toContain('carries only its link');
  });

  it('When a revealed row is changed in the database, then verify-log names the first broken link, and a witness from before catches a rewritten chain', async () => {
    const [, second] = await rows();
    await warren.db.signalUpdate.update({ where: { id: second.id }, data: { status: 'weakening' } });
    // A write behind the app's back: the public copy it holds for a minute expires first.
    warren.clock.advance(2 * 60_000);
    const { file } = await saveExport('tampered.json');
    const result = await verifyLog(file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('BROKEN at update #2 of 4');
    expect(result.stderr).toContain('content does not match its hash');
    await warren.db.signalUpdate.update({ where: { id: second.id }, data: { status: second.status } });
    warren.clock.advance(2 * 60_000);

    // A rewritten export whose hashes were all recomputed still cannot match a head witnessed earlier.
    const { record } = await saveExport('clean.json');
    const rewritten = path.join(dir, 'rewritten.json');
    writeFileSync(rewritten, JSON.stringify({ ...record, head: undefined, updates: record.updates.slice(0, 3) }));
    const witnessed = await verifyLog(rewritten, '--witness', `4:${earlyHeads[3].hash}`);
    expect(witnessed.code).toBe(1);
    expect(witnessed.stderr).toContain('witness #4');
  });

  it("When a members' log.json marks an entry embargoed, then it does not verify: only a public export may leave a hash unchecked", async () => {
    const entries = (await rows()).map(toChainEntry);
    const last = entries[3];
    const marked = [...entries.slice(0, 3), { sequence: 4, recordedAt: last.recordedAt, prevHash: last.prevHash, hash: last.hash, embargoed: true as const }];
    expect(verifyChain(marked)).toMatchObject({ ok: false, brokenAt: 4, reason: expect.stringContaining('embargoed') });
    expect(verifyChain(marked, { allowEmbargoed: true, embargoDays: 30 })).toMatchObject({ ok: true, count: 4 });
    const log = path.join(dir, 'marked-log.json');
    writeFileSync(log, JSON.stringify({ format: 'warren-signal-log/2', updates: marked }));
    expect((await verifyLog(log)).code).toBe(1);
  });

  it('When anyone asks for the chain heads, then they get every head in order, as JSON and as feed items, and no content', async () => {
    const stored = await rows();
    const res = await anonymous().get(`/theses/${DEMO_SLUG}/record/heads.json`).expect(200);
    expect(res.body.heads).toEqual(stored.map((row) => ({ sequence: row.sequence, hash: row.hash, recordedAt: row.recordedAt.toISOString() })));
    const feed = await anonymous().get(`/theses/${DEMO_SLUG}/record/heads.xml`).expect(200);
    expect(feed.headers['content-type']).toMatch(/^application\/rss\+xml/);
    expect(feed.text.match(/<item>/g)).toHaveLength(4);
    expect(feed.text).toContain(`<guid isPermaLink="false">${DEMO_SLUG}:4:${stored[3].hash}</guid>`);
    expect(feed.text).toContain(`<pubDate>${stored[3].recordedAt.toUTCString()}</pubDate>`);
    expect(feed.text).not.toContain('audited numbers');
    expect(feed.text).not.toContain(SECRET);
    // The site's own feed carries the latest heads too, newest first, after the theses: subscribers witness them.
    const siteFeed = (await anonymous().get('/feed.xml').expect(200)).text;
    const guids = [...siteFeed.matchAll(/<guid isPermaLink="false">([^<]+)<\/guid>/g)].map((match) => match[1]);
    expect(guids).toEqual([...stored].reverse().map((row) => `${DEMO_SLUG}:${row.sequence}:${row.hash}`));
    expect(siteFeed.indexOf(`<link>${warren.config.appUrl}/theses/${DEMO_SLUG}</link>`)).toBeLessThan(siteFeed.indexOf('chain head #'));
    expect(siteFeed).not.toContain('audited numbers');
    expect(siteFeed).not.toContain(SECRET);
    const page = (await anonymous().get('/record').expect(200)).text;
    expect(page).toContain(`<link rel="alternate" type="application/rss+xml" title="The Decode Singularity: record chain heads" href="/theses/${DEMO_SLUG}/record/heads.xml">`);
    expect(page).toContain(`<a href="/theses/${DEMO_SLUG}/record/heads.xml">Chain heads (RSS)</a>`);
    expect((await anonymous().get('/').expect(200)).text).toContain('<a href="/record">Track record</a>');
    expect((await anonymous().get(`/theses/${DEMO_SLUG}`).expect(200)).text).toContain(`<a href="/record#${DEMO_SLUG}">See the public track record</a>`);
  });

  it('When the slug names no published thesis, then each record route answers 404: JSON for the JSON routes, a page for the feed', async () => {
    for (const url of ['/record/no-such-thesis.json', '/theses/no-such-thesis/record/heads.json']) {
      const res = await anonymous().get(url).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error).toContain('no public record');
    }
    const feed = await anonymous().get('/theses/no-such-thesis/record/heads.xml').expect(404);
    expect(feed.headers['content-type']).toMatch(/^text\/html/);
    const { publishedAt } = await warren.db.thesis.findUniqueOrThrow({ where: { id: thesisId } });
    await warren.db.thesis.update({ where: { id: thesisId }, data: { publishedAt: new Date(warren.clock.now().getTime() + DAY) } });
    await warren.deps.catalog.contentChanged();
    await anonymous().get(`/record/${DEMO_SLUG}.json`).expect(404);
    expect((await anonymous().get('/record').expect(200)).text).not.toContain(`id="${DEMO_SLUG}"`);
    await warren.db.thesis.update({ where: { id: thesisId }, data: { publishedAt } });
    await warren.deps.catalog.contentChanged();
  });

  it('When the thesis is archived, then its record stays on /record and in its export', async () => {
    expectStatus(await submitForm(admin, `/admin/theses/${DEMO_SLUG}`, `/admin/theses/${DEMO_SLUG}/status`, { action: 'archive', confirm: 'yes' }), 303);
    const page = (await anonymous().get('/record').expect(200)).text;
    expect(page).toContain(`id="${DEMO_SLUG}"`);
    expect(page).toMatch(/class="state state-archived">Archived/);
    expect((await anonymous().get(`/record/${DEMO_SLUG}.json`).expect(200)).body.updates).toHaveLength(4);
  });

  it('When the admin sets the embargo to a negative, fractional or non-numeric value, then the editor names the field and nothing is saved', async () => {
    const before = await warren.db.thesis.findUniqueOrThrow({ where: { id: thesisId } });
    for (const [typed, problem] of [
      ['-1', 'recordEmbargoDays: must be 0 or more days'],
      ['1.5', 'recordEmbargoDays: must be a whole number of days'],
      ['thirty', 'recordEmbargoDays: must be a whole number of days'],
      ['', 'recordEmbargoDays: must be a whole number of days'],
    ]) {
      const res = await saveEditor(admin, DEMO_SLUG, await editorFields(admin, DEMO_SLUG, (name, value) => (name === 'recordEmbargoDays' ? typed : value)));
      expect(res.status).toBe(400);
      expect(res.text).toContain(problem);
      expect(res.text).toContain(`name="recordEmbargoDays" type="number" min="0" max="3650" step="1" value="${typed}"`);
    }
    const after = await warren.db.thesis.findUniqueOrThrow({ where: { id: thesisId } });
    expect({ days: after.recordEmbargoDays, revision: after.revision }).toEqual({ days: before.recordEmbargoDays, revision: before.revision });
  });

  it('When the admin lengthens the embargo of a thesis with entries, then it is refused and nothing changes: raised before a loss, it would hold the loss back', async () => {
    const before = await warren.db.thesis.findUniqueOrThrow({ where: { id: thesisId } });
    const res = await saveEditor(admin, DEMO_SLUG, await editorFields(admin, DEMO_SLUG, (name, value) => (name === 'recordEmbargoDays' ? '90' : value)));
    expect(res.status).toBe(400);
    expect(res.text).toContain('recordEmbargoDays: this thesis has entries on its public track record, so its embargo can be shortened but not lengthened (now 30 days)');
    const after = await warren.db.thesis.findUniqueOrThrow({ where: { id: thesisId } });
    expect({ days: after.recordEmbargoDays, revision: after.revision }).toEqual({ days: 30, revision: before.revision });
    // Nor through a Markdown file.
    const file = (await exportThesisBySlug(warren.db, DEMO_SLUG))!;
    await expect(warren.deps.thesisWrites.importThesis(file.replace('recordEmbargoDays: 30', 'recordEmbargoDays: 3650'), { authorEmail: ADMIN, at: warren.clock.now() })).rejects.toThrow(
      'can be shortened but not lengthened',
    );
    expect((await warren.db.thesis.findUniqueOrThrow({ where: { id: thesisId } })).recordEmbargoDays).toBe(30);
  });

  it('When the admin shortens the embargo, then entries already recorded come out sooner, for good', async () => {
    // A call recorded now, under the 30 days.
    const { signals } = await demoSignals(warren);
    await recordUpdate(admin, { signalId: signals[2].id, status: 'weakening', note: 'Recorded under 30 days.' });
    const recorded = (await rows()).at(-1)!;
    expect(recorded.revealsAt!.getTime() - recorded.recordedAt.getTime()).toBe(30 * DAY);
    warren.clock.advance(21 * DAY);
    // Sessions do not last three weeks.
    admin = await signInAdmin(warren);
    const latestEmbargoed = async () => (await anonymous().get(`/record/${DEMO_SLUG}.json`).expect(200)).body.updates.at(-1).embargoed === true;
    expect(await latestEmbargoed()).toBe(true);
    expectStatus(await saveEditor(admin, DEMO_SLUG, await editorFields(admin, DEMO_SLUG, (name, value) => (name === 'recordEmbargoDays' ? '20' : value))), 303);
    expect(await latestEmbargoed()).toBe(false);
    const latest = (await rows()).at(-1)!;
    expect(latest.revealsAt!.getTime() - latest.recordedAt.getTime()).toBe(20 * DAY);
  });

  it('When a thesis goes out as a Markdown file and comes back, then its embargo travels with it; a file without one gets 30 days, a bad one is refused', async () => {
    const file = (await exportThesisBySlug(warren.db, DEMO_SLUG))!;
    expect(file).toContain('recordEmbargoDays: 20');
    expect(parseThesisFile(file).recordEmbargoDays).toBe(20);
    expect(parseThesisFile(file.replace('recordEmbargoDays: 20\n', '')).recordEmbargoDays).toBe(30);
    expect(() => parseThesisFile(file.replace('recordEmbargoDays: 20', 'recordEmbargoDays: -3'))).toThrow('recordEmbargoDays: must be 0 or more days');
    expect(() => parseThesisFile(file.replace('recordEmbargoDays: 20', 'recordEmbargoDays: soon'))).toThrow('recordEmbargoDays: must be a whole number of days');
  });

  it('When a file or an older revision without an embargo is put over the thesis, then its embargo is kept, not set to the 30 days of a new thesis', async () => {
    const change = () => ({ authorEmail: ADMIN, at: warren.clock.now() });
    const file = (await exportThesisBySlug(warren.db, DEMO_SLUG))!;
    await warren.deps.thesisWrites.importThesis(file.replace('recordEmbargoDays: 20\n', '').replace(/^tagline: .*$/m, 'tagline: Re-imported.'), change());
    const imported = await warren.db.thesis.findUniqueOrThrow({ where: { id: thesisId } });
    expect({ days: imported.recordEmbargoDays, tagline: imported.tagline }).toEqual({ days: 20, tagline: 'Re-imported.' });

    // A revision saved before the setting existed holds no embargo.
    const older = await warren.db.thesisRevision.findFirstOrThrow({ where: { thesisId }, orderBy: { number: 'asc' } });
    const { recordEmbargoDays: _days, ...snapshot } = JSON.parse(older.snapshot);
    await warren.db.thesisRevision.update({ where: { id: older.id }, data: { snapshot: JSON.stringify(snapshot) } });
    await warren.deps.thesisWrites.restoreRevision(DEMO_SLUG, older.number, change());
    expect((await warren.db.thesis.findUniqueOrThrow({ where: { id: thesisId } })).recordEmbargoDays).toBe(20);
  });
});

describe('Who may read a record entry (isRevealed)', () => {
  const at = (iso: string) => new Date(iso);
  // Recorded under the 30-day embargo: its reveal time was fixed then.
  const recordedAt = { recordedAt: at('2026-11-01T10:00:00.000Z'), revealsAt: at('2026-12-01T10:00:00.000Z') };

  it('When the embargo is 30 days, then the public reads the entry from the exact moment 30 days after it was recorded, not a millisecond before', () => {
    expect(isRevealed(recordedAt, { embargoDays: 30, now: at('2026-12-01T09:59:59.999Z'), live: false })).toBe(false);
    expect(isRevealed(recordedAt, { embargoDays: 30, now: at('2026-12-01T10:00:00.000Z'), live: false })).toBe(true);
  });

  it('When the embargo is 0 days, then the public reads the entry at once; a member of the thesis always does', () => {
    const underNoEmbargo = { recordedAt: recordedAt.recordedAt, revealsAt: recordedAt.recordedAt };
    expect(isRevealed(underNoEmbargo, { embargoDays: 0, now: recordedAt.recordedAt, live: false })).toBe(true);
    expect(isRevealed(recordedAt, { embargoDays: 3650, now: recordedAt.recordedAt, live: true })).toBe(true);
  });

  it('When an entry has its reveal time, then that decides whatever the embargo is today; a row without one follows today’s embargo', () => {
    expect(isRevealed(recordedAt, { embargoDays: 3650, now: at('2026-12-01T10:00:00.000Z'), live: false })).toBe(true);
    expect(isRevealed(recordedAt, { embargoDays: 0, now: at('2026-12-01T09:59:59.999Z'), live: false })).toBe(false);
    const legacy = { recordedAt: recordedAt.recordedAt, revealsAt: null };
    expect(isRevealed(legacy, { embargoDays: 1, now: at('2026-11-02T10:00:00.000Z'), live: false })).toBe(true);
    expect(isRevealed(legacy, { embargoDays: 1, now: at('2026-11-02T09:59:59.999Z'), live: false })).toBe(false);
  });

  it('When a later entry was recorded a moment before an earlier one (a retried save, another clock), then it is revealed only with the earlier one', () => {
    const rows = [{ recordedAt: at('2026-11-01T10:00:00.500Z'), revealsAt: null }, { recordedAt: at('2026-11-01T10:00:00.000Z'), revealsAt: null }];
    expect(revealedFlags(rows, { embargoDays: 30, now: at('2026-12-01T10:00:00.200Z'), live: false })).toEqual([false, false]);
    expect(revealedFlags(rows, { embargoDays: 30, now: at('2026-12-01T10:00:00.500Z'), live: false })).toEqual([true, true]);
    expect(revealedFlags(rows, { embargoDays: 30, now: at('2026-11-01T10:00:00.000Z'), live: true })).toEqual([true, true]);
  });

  it('When resolution times are counted, then the median of an even count is the mean of the middle two, and of none is null', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
    expect(median([])).toBeNull();
  });
});
