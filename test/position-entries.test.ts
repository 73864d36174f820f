import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../server/paths.ts';
import { DEMO_SLUG, expectStatus, submitForm, startWarren, type Warren } from './support/harness.ts';
import { ADMIN, ADMIN_PAGE, buyAndSignIn, demoSignals, recordUpdate, signInAdmin, signInWithoutPurchase } from './support/signals.ts';
import { CHAINED_FIELDS, hashUpdate, textDigest, verifyChain } from '../server/signals/hash-chain.ts';
import { toChainEntry } from '../server/signals/signal-log.repo.ts';
import { percentChange, positionLines } from '../server/signals/position-summary.ts';
import type { ChainLinkRow } from '../server/signals/signal-log.repo.ts';
import { replayAfter } from '../server/signals/stream-events.ts';

type Agent = Awaited<ReturnType<typeof signInAdmin>>;
const DAY = 24 * 60 * 60 * 1000;
const MEMBER = 'position.member@example.com';
const STATUS_ONLY = 'status.only@example.com';
const NO_ALERTS = 'no.alerts@example.com';
const POSITIONS = `/admin/theses/${DEMO_SLUG}/positions`;
const ENTRY_TEXT = 'Entry: CBRS at 41.20 USD on November 26, 2026';
const EXIT_TEXT = 'Exit: CBRS at 50.00 USD on November 30, 2026';

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

const entryFields = { action: 'entry', instrument: 'CBRS', price: '41.20', currency: 'usd', sizeNote: 'half position', occurredOn: '2026-11-26', note: 'Bought on the **lock-up** dip.', alert: 'yes' };

describe('Position entries and exits on the record', () => {
  let warren: Warren;
  let admin: Agent;
  let member: Agent;
  let thesisId: string;
  const anonymous = () => request(warren.app);
  const dir = mkdtempSync(path.join(tmpdir(), 'warren-positions-'));
  const rows = () => warren.db.signalUpdate.findMany({ where: { thesisId }, orderBy: { sequence: 'asc' } });
  const positionAlerts = () => warren.db.outboxMessage.findMany({ where: { template: 'position-alert' } });
  const record = (fields: Record<string, string>) => submitForm(admin, ADMIN_PAGE, POSITIONS, fields);
  const saveExport = async (name: string) => {
    const res = await anonymous().get(`/record/${DEMO_SLUG}.json`).expect(200);
    const file = path.join(dir, name);
    writeFileSync(file, res.text);
    return { file, exported: JSON.parse(res.text) };
  };

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    testNow = () => warren.clock.now();
    admin = await signInAdmin(warren);
    const { thesis, signals } = await demoSignals(warren);
    thesisId = thesis.id;
    // Signed in by a link from the inbox: a success-page session is short and may change nothing.
    await buyAndSignIn(warren, MEMBER);
    ({ agent: member } = await signInWithoutPurchase(warren, MEMBER));
    for (const [email, level] of [[STATUS_ONLY, 'status'], [NO_ALERTS, 'none']] as const) {
      await buyAndSignIn(warren, email);
      const user = await warren.db.user.findUniqueOrThrow({ where: { email } });
      await warren.db.alertPreference.create({ data: { userId: user.id, thesisId, level, updatedAt: warren.clock.now() } });
    }
    // A signal update first: the position entries extend a chain that already holds another kind.
    await recordUpdate(admin, { signalId: signals[0].id, status: 'strengthening', note: 'Early evidence.' });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await warren.close();
  });

  it('When the input is bad, the thesis a draft, or the sender no admin, then it is refused with the field named and nothing is recorded', async () => {
    const before = await rows();
    for (const [fields, problem] of [
      [{ price: '0' }, 'price: must be more than 0'],
      [{ price: '-1' }, 'price: must be a positive number'],
      [{ price: '41.1234567' }, 'price: must be a positive number with at most 6 decimals'],
      [{ price: '1e3' }, 'price: must be a positive number'],
      [{ action: 'short' }, 'action: choose entry or exit'],
      [{ currency: 'US' }, 'currency: must be a 3-letter code'],
      [{ instrument: ' ' }, 'instrument: give the instrument'],
      [{ occurredOn: '2026-02-31' }, 'occurredOn: is not a real date'],
      [{ occurredOn: '2027-01-01' }, 'occurredOn: the date of the trade cannot be in the future'],
      // The thesis was published on November 26: a trade dated before it would be a gain claimed after the fact.
      [{ occurredOn: '2026-11-25' }, 'occurredOn: a trade is recorded within 4 days and not before the thesis was published; the earliest date accepted now is November 26, 2026.'],
    ] as const) {
      const res = await record({ ...entryFields, ...fields });
      expect(res.status).toBe(400);
      expect(res.text).toContain(problem);
    }

    const { publishedAt } = await warren.db.thesis.findUniqueOrThrow({ where: { id: thesisId } });
    await warren.db.thesis.update({ where: { id: thesisId }, data: { publishedAt: null } });
    const draftPage = (await admin.get(ADMIN_PAGE).expect(200)).text;
    expect(draftPage).toContain('Positions are recorded once the thesis is published.');
    expect(draftPage).not.toContain(`action="${POSITIONS}"`);
    const draft = await record(entryFields);
    expect(draft.status).toBe(400);
    expect(draft.text).toContain('only on a published thesis');
    await warren.db.thesis.update({ where: { id: thesisId }, data: { publishedAt } });

    const notAdmin = await submitForm(member, '/account', POSITIONS, entryFields);
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.text).toContain('for the publisher only');
    const signedOut = await anonymous().post(POSITIONS).type('form').send(entryFields);
    expect(signedOut.status).toBe(403);

    expect(await rows()).toEqual(before);
    expect(await positionAlerts()).toHaveLength(0);
  });

  it('When the admin records an entry and later an exit, then both are links of the chain, verify in log.json, and alert members who accept them', async () => {
    const page = (await admin.get(ADMIN_PAGE).expect(200)).text;
    expect(page).toContain('Record a position entry or exit');
    const entry = expectStatus(await record(entryFields), 303);
    expect(entry.headers.location).toBe(`${ADMIN_PAGE}?recorded=2#positions`);
    expect(page).toContain('min="2026-11-26"');
    warren.clock.advance(5 * DAY);
    // Five days on (December 1), the entry's own day is past the grace period: it can no longer be the date of a trade.
    const exitFields = { action: 'exit', instrument: 'CBRS', price: '50.00', currency: 'USD', occurredOn: '2026-11-30', note: '' };
    const backdated = await record({ ...exitFields, occurredOn: '2026-11-26' });
    expect(backdated.status).toBe(400);
    expect(backdated.text).toContain('the earliest date accepted now is November 27, 2026.');
    expect(await rows()).toHaveLength(2);
    expectStatus(await record(exitFields), 303);

    const stored = await rows();
    expect(stored.map((row) => row.kind)).toEqual(['signal', 'position', 'position']);
    expect(stored[1]).toMatchObject({ signalId: null, positionAction: 'entry', instrument: 'CBRS', price: '41.20', currency: 'USD', sizeNote: 'half position', alert: true });
    expect(stored[1].occurredAt.toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(stored[2]).toMatchObject({ positionAction: 'exit', price: '50.00', sizeNote: null, note: '', alert: false });
    expect(verifyChain(stored.map(toChainEntry))).toEqual({ ok: true, count: 3, head: stored[2].hash });

    // The entry alerted everyone who accepts it ("only status changes" included); the exit asked for no alert.
    const alerts = await positionAlerts();
    expect(alerts.map((mail) => mail.recipient).sort()).toEqual([MEMBER, STATUS_ONLY]);
    expect(JSON.parse(alerts[0].payload)).toMatchObject({ alert: { thesisId, change: 'position' }, data: { action: 'entry', price: '41.20', currency: 'USD', chainHead: stored[1].hash, chainCount: 2 } });

    // Live streams carry them under their own event name, which the board's script does not treat as a signal.
    const events = await replayAfter(warren.db, thesisId, 1);
    expect(events.map((event) => event.frame.split('\n').slice(0, 2))).toEqual([['id: 2', 'event: position-update'], ['id: 3', 'event: position-update']]);

    await warren.deliverMail();
    const [mail, ...more] = warren.inbox.to(STATUS_ONLY).filter((message) => message.subject?.includes('Entry CBRS'));
    expect(more).toHaveLength(0);
    expect(mail.subject).toBe('The Decode Singularity: Entry CBRS at 41.20 USD');
    expect(mail.text).toContain('Entry: CBRS at 41.20 USD');
    expect(mail.text).toContain('Size: half position');
    expect(mail.text).toContain(`Record 2 · chain head ${stored[1].hash}`);
    expect(mail.html).toContain('Bought on the **lock-up** dip.');
    expect(warren.inbox.to(NO_ALERTS).filter((message) => message.subject?.includes('CBRS'))).toHaveLength(0);

    const log = await member.get(`/theses/${DEMO_SLUG}/signals/log.json`).expect(200);
    expect(log.body.format).toBe('warren-signal-log/3');
    expect(log.body.updates[1]).toMatchObject({ kind: 'position', action: 'entry', instrument: 'CBRS', price: '41.20', currency: 'USD', hash: stored[1].hash });
    const file = path.join(dir, 'log.json');
    writeFileSync(file, log.text);
    expect(await verifyLog(file)).toMatchObject({ code: 0 });
  });

  it('When a member opens the board and /record, then the entry and exit are there live, with the return computed', async () => {
    const board = (await member.get(`/theses/${DEMO_SLUG}/signals`).expect(200)).text;
    expect(board).toContain(ENTRY_TEXT);
    expect(board).toContain(EXIT_TEXT);
    expect(board).toContain('<strong>lock-up</strong>');
    expect(board.indexOf(EXIT_TEXT)).toBeLessThan(board.indexOf(ENTRY_TEXT));

    const page = (await member.get('/record').expect(200)).text;
    expect(page).toContain(ENTRY_TEXT);
    expect(page).toContain(EXIT_TEXT);
    expect(page).toContain(
      'Position: Entered CBRS at 41.20 USD on November 26, 2026 (recorded the same day); exited at 50.00 USD on November 30, 2026 (recorded December 1, 2026) (+21.4 %).',
    );
    // Positions are not calls: the signal is the only one counted.
    expect(page).toMatch(/<strong data-calls>1<\/strong> calls made/);
  });

  it('When the embargo has not passed, then the public sees the position entries as number, time and hash only', async () => {
    const stored = await rows();
    const page = (await anonymous().get('/record').expect(200)).text;
    for (const row of stored) expect(page).toContain(row.hash);
    expect(page.match(/data-embargoed/g)).toHaveLength(3);
    expect(page).not.toContain('CBRS');
    expect(page).not.toContain('data-position-summary');
    const { file, exported } = await saveExport('before.json');
    expect(exported.format).toBe('warren-public-record/1');
    expect(JSON.stringify(exported)).not.toContain('CBRS');
    expect((await verifyLog(file)).stdout).toContain('0 revealed and recomputed, 3 under embargo');
  });

  it('When only the entry is past the embargo, then the public reads the entry, not the exit nor a return', async () => {
    // The exit was recorded five days after the entry.
    warren.clock.advance(26 * DAY);
    const page = (await anonymous().get('/record').expect(200)).text;
    expect(page).toContain(ENTRY_TEXT);
    expect(page).not.toContain('50.00');
    expect(page).toContain('Position: Entered CBRS at 41.20 USD on November 26, 2026 (recorded the same day); position open.');
    const { file, exported } = await saveExport('partial.json');
    expect(exported.format).toBe('warren-public-record/2');
    expect(exported.updates[2]).toMatchObject({ embargoed: true });
    const verified = await verifyLog(file);
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toContain('2 revealed and recomputed, 1 under embargo');
  });

  it('When both are past the embargo, then the public reads entry, exit and return, and verify-log catches a changed price', async () => {
    warren.clock.advance(5 * DAY);
    const stored = await rows();
    const page = (await anonymous().get('/record').expect(200)).text;
    expect(page).not.toContain('data-embargoed');
    expect(page).toContain(EXIT_TEXT);
    expect(page).toContain('(+21.4 %)');
    expect(page).toContain(`Chain head then: #3 <code>${stored[2].hash}</code>`);

    const { file, exported } = await saveExport('after.json');
    expect(exported.updates[2]).toEqual({
      sequence: 3, id: stored[2].id, thesisId, kind: 'position', action: 'exit', instrument: 'CBRS', price: '50.00', currency: 'USD',
      sizeNote: null, note: '', occurredAt: '2026-11-30T00:00:00.000Z', recordedAt: stored[2].recordedAt.toISOString(), alert: false,
      prevHash: stored[1].hash, hash: stored[2].hash,
    });
    expect(await verifyLog(file, '--witness', `3:${stored[2].hash}`)).toMatchObject({ code: 0 });

    const tampered = path.join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify({ ...exported, updates: exported.updates.map((entry: { sequence: number }) => (entry.sequence === 2 ? { ...entry, price: '31.20' } : entry)) }));
    const result = await verifyLog(tampered);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('BROKEN at update #2 of 3');
    expect(result.stderr).toContain('content does not match its hash');
  });
});

describe('How a position entry is hashed', () => {
  const signalUpdate = {
    sequence: 1, id: 'u1', thesisId: 't1', signalId: 's1', signalTitle: 'Signal', status: 'confirmed', previousStatus: 'watching', note: 'n',
    sourceUrl: null, correctsSequence: null, occurredAt: '2026-11-20T00:00:00.000Z', recordedAt: '2026-11-26T12:00:00.000Z', alert: false, prevHash: '0'.repeat(64),
  };

  it('When a signal update is hashed, then it is the same object as before position entries existed, with no kind', () => {
    const ordered = Object.fromEntries(CHAINED_FIELDS.map((field) => [field, signalUpdate[field]]));
    expect(hashUpdate(signalUpdate)).toBe(textDigest(JSON.stringify(ordered)));
  });

  it('When a position entry is hashed, then its kind is covered: the same fields under another kind hash differently', () => {
    const position = {
      sequence: 1, id: 'u1', thesisId: 't1', kind: 'position' as const, action: 'entry' as const, instrument: 'CBRS', price: '41.20', currency: 'USD',
      sizeNote: null, note: '', occurredAt: '2026-11-20T00:00:00.000Z', recordedAt: '2026-11-26T12:00:00.000Z', alert: false, prevHash: '0'.repeat(64),
    };
    const hash = hashUpdate(position);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashUpdate({ ...position, price: '41.2' })).not.toBe(hash);
    expect(hashUpdate({ ...position, kind: 'signal' } as never)).not.toBe(hash);
  });

  it('When the return is computed, then it is the change from entry to exit in percent with one decimal', () => {
    expect(percentChange('41.20', '50.00')).toBe(21.4);
    expect(percentChange('100', '90.5')).toBe(-9.5);
  });

  it('When a thesis traded several times, then every round trip has its line, losers included, each instrument matched with its own exit', () => {
    let sequence = 0;
    const position = (action: 'entry' | 'exit', instrument: string, price: string, day: string, recordedDay = day, currency = 'USD') =>
      ({
        kind: 'position', sequence: ++sequence, positionAction: action, instrument, price, currency,
        occurredAt: new Date(`${day}T00:00:00.000Z`), recordedAt: new Date(`${recordedDay}T15:00:00.000Z`),
      }) as ChainLinkRow;
    const lines = positionLines([
      position('exit', 'NVDA', '10.00', '2026-11-27'),
      position('entry', 'CBRS', '40.00', '2026-11-27', '2026-11-29'),
      position('entry', 'ARM', '100.00', '2026-11-28'),
      position('exit', 'cbrs', '30.00', '2026-11-30'),
      position('entry', 'CBRS', '31.00', '2026-12-01'),
      position('entry', 'CBRS', '29.00', '2026-12-02'),
      position('exit', 'ARM', '90.00', '2026-12-03', '2026-12-03', 'EUR'),
    ]);
    expect(lines).toEqual([
      { text: 'Exited NVDA at 10.00 USD on November 27, 2026 (recorded the same day) (no entry recorded before it).', returnPercent: null },
      { text: 'Entered CBRS at 40.00 USD on November 27, 2026 (recorded November 29, 2026); exited at 30.00 USD on November 30, 2026 (recorded the same day) (-25 %).', returnPercent: -25 },
      // Another currency at the exit: no return is made up.
      { text: 'Entered ARM at 100.00 USD on November 28, 2026 (recorded the same day); exited at 90.00 EUR on December 3, 2026 (recorded the same day).', returnPercent: null },
      { text: 'Entered CBRS at 31.00 USD on December 1, 2026 (recorded the same day), added at 29.00 USD on December 2, 2026 (recorded the same day); position open.', returnPercent: null },
    ]);
    expect(positionLines([])).toEqual([]);
  });
});
