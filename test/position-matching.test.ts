import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, expectStatus, submitForm, startWarren, type Warren } from './support/harness.ts';
import { ADMIN, ADMIN_PAGE, demoSignals, signInAdmin } from './support/signals.ts';
import { instrumentKey, instrumentProblem, normaliseInstrument } from '../server/signals/instrument.ts';
import { openPositions, positionRefusal } from '../server/signals/open-positions.ts';
import { positionLines } from '../server/signals/position-summary.ts';
import type { ChainLinkRow } from '../server/signals/signal-log.repo.ts';

type Agent = Awaited<ReturnType<typeof signInAdmin>>;
const DAY = 24 * 60 * 60 * 1000;
const POSITIONS = `/admin/theses/${DEMO_SLUG}/positions`;
// The fake clock starts on November 26, 2026, the day the demo thesis is published: every trade is dated then.
const leg = (action: 'entry' | 'exit', instrument: string, price: string, currency = 'USD') => ({ action, instrument, price, currency, occurredOn: '2026-11-26', note: '' });
const SAME_DAY = 'on November 26, 2026 (recorded the same day)';

describe('Position exits are matched with their entries', () => {
  let warren: Warren;
  let admin: Agent;
  let thesisId: string;
  const rows = () => warren.db.signalUpdate.findMany({ where: { thesisId }, orderBy: { sequence: 'asc' } });
  const record = (fields: Record<string, string>) => submitForm(admin, ADMIN_PAGE, POSITIONS, fields);
  const expectRefused = async (fields: Record<string, string>, message: string) => {
    const before = await rows();
    const res = await record(fields);
    expect(res.status, res.text.slice(0, 300)).toBe(400);
    expect(res.text).toContain(message);
    expect(await rows()).toEqual(before);
  };

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
    thesisId = (await demoSignals(warren)).thesis.id;
  });
  afterAll(() => warren.close());

  it('When an instrument holds an invisible, control or look-alike character, then it is refused with the character named', async () => {
    await expectRefused(leg('entry', 'CBRS\u200B', '50.00'), 'instrument: contains U+200B, an invisible or control character');
    await expectRefused(leg('entry', 'CB\u0007RS', '50.00'), 'instrument: contains U+0007, an invisible or control character');
    await expectRefused(leg('entry', 'CB\tRS', '50.00'), 'instrument: contains U+0009, an invisible or control character');
    // A Cyrillic С looks like a C and is not one.
    await expectRefused(leg('entry', '\u0421BRS', '50.00'), 'instrument: contains &quot;С&quot; (U+0421)');
    await expectRefused(leg('entry', '.CBRS', '50.00'), 'instrument: must start with a letter or a digit');
    expect(await rows()).toHaveLength(0);
  });

  it('When an exit or an add does not match an open position, then it is refused with the position named and nothing is recorded', async () => {
    await expectRefused(leg('exit', 'CBRS', '20.00'), 'exit: there is no open position in CBRS (open positions: none).');
    // Typed in full-width lower case: stored in its plain form.
    expectStatus(await record(leg('entry', 'ｃｂｒｓ', '50.00')), 303);
    expect((await rows())[0]).toMatchObject({ positionAction: 'entry', instrument: 'CBRS', currency: 'USD' });

    await expectRefused(leg('exit', 'CBRS\u200B', '20.00'), 'instrument: contains U+200B');
    await expectRefused(leg('exit', 'ARM', '20.00'), 'exit: there is no open position in ARM (open positions: CBRS).');
    await expectRefused(leg('exit', 'CBRS', '20.00', 'EUR'), 'currency: the open position in CBRS is in USD; record the exit in USD.');
    await expectRefused(leg('entry', 'cbrs', '45.00', 'EUR'), 'currency: the open position in CBRS is in USD; an entry adds to it in the same currency.');
    expect(await rows()).toHaveLength(1);
    // The form offers the open position for the instrument field.
    expect((await admin.get(ADMIN_PAGE).expect(200)).text).toContain('<option value="CBRS">open, in USD</option>');
  });

  it('When two instruments are entered and exited twice, then /record shows each round trip with its return, the loss included', async () => {
    for (const fields of [
      leg('entry', 'ARM', '100.00', 'EUR'),
      leg('exit', ' cbrs ', '20.00'),
      leg('exit', 'ARM', '110.00', 'eur'),
      leg('entry', 'CBRS', '20.00'),
      leg('entry', 'ARM', '120.00', 'USD'),
      leg('exit', 'CBRS', '25.00'),
      leg('exit', 'ARM', '90.00'),
    ]) {
      expectStatus(await record(fields), 303);
    }
    const stored = await rows();
    expect(stored.map((row) => `${row.positionAction} ${row.instrument} ${row.currency}`)).toEqual([
      'entry CBRS USD', 'entry ARM EUR', 'exit CBRS USD', 'exit ARM EUR', 'entry CBRS USD', 'entry ARM USD', 'exit CBRS USD', 'exit ARM USD',
    ]);
    await expectRefused(leg('exit', 'CBRS', '25.00'), 'exit: there is no open position in CBRS (open positions: none).');

    // Past the 30-day embargo, the public reads every line.
    warren.clock.advance(31 * DAY);
    const page = (await request(warren.app).get('/record').expect(200)).text;
    const lines = [...page.matchAll(/<li>Position: (.*?)<\/li>/g)].map((match) => match[1]);
    expect(lines).toEqual([
      `Entered CBRS at 50.00 USD ${SAME_DAY}; exited at 20.00 USD ${SAME_DAY} (-60 %).`,
      `Entered ARM at 100.00 EUR ${SAME_DAY}; exited at 110.00 EUR ${SAME_DAY} (+10 %).`,
      `Entered CBRS at 20.00 USD ${SAME_DAY}; exited at 25.00 USD ${SAME_DAY} (+25 %).`,
      `Entered ARM at 120.00 USD ${SAME_DAY}; exited at 90.00 USD ${SAME_DAY} (-25 %).`,
    ]);
  });
});

describe('How instruments are checked and matched', () => {
  it('When an instrument is normalised, then look-alikes with a plain form become it, and tickers as exchanges write them pass', () => {
    expect(normaliseInstrument('  ｂｒｋ.ｂ\u00A0 ')).toBe('BRK.B');
    expect(normaliseInstrument('lse:vod')).toBe('LSE:VOD');
    expect(normaliseInstrument('BTC  /  USD')).toBe('BTC / USD');
    for (const ticker of ['CBRS', 'BRK.B', 'LSE:VOD', 'BTC/USD', '7203', 'RDS-A', 'X'.repeat(40)]) expect(instrumentProblem(ticker)).toBeNull();
    expect(instrumentProblem('')).toBe('instrument: give the instrument (e.g. its ticker).');
    expect(instrumentProblem('X'.repeat(41))).toBe('instrument: at most 40 characters.');
    expect(instrumentProblem('CBRS\u2060')).toContain('U+2060, an invisible or control character');
    expect(instrumentProblem('CBRÉ')).toContain('"É" (U+00C9)');
  });

  it('When stored legs hold an invisible character (recorded before the check), then the exit still closes its entry', () => {
    expect(instrumentKey('CBRS\u200B')).toBe('CBRS');
    const open = openPositions([
      { positionAction: 'entry', instrument: 'CBRS', currency: 'USD' },
      { positionAction: 'exit', instrument: 'cbrs\u200B', currency: 'USD' },
      { positionAction: 'entry', instrument: 'ARM', currency: 'EUR' },
      { positionAction: 'entry', instrument: 'ARM', currency: 'EUR' },
    ]);
    expect([...open.values()]).toEqual([{ instrument: 'ARM', currency: 'EUR' }]);
    expect(positionRefusal(open, { action: 'exit', instrument: 'ARM', currency: 'EUR' })).toBeNull();
    expect(positionRefusal(open, { action: 'entry', instrument: 'CBRS', currency: 'JPY' })).toBeNull();
    expect(positionRefusal(open, { action: 'exit', instrument: 'CBRS', currency: 'USD' })).toBe('exit: there is no open position in CBRS (open positions: ARM).');

    // /record pairs them the same way: the loss recorded under a look-alike is computed.
    const day = new Date('2026-11-26T00:00:00.000Z');
    const stored = (positionAction: string, instrument: string, price: string) => ({ kind: 'position', positionAction, instrument, price, currency: 'USD', occurredAt: day, recordedAt: day }) as ChainLinkRow;
    expect(positionLines([stored('entry', 'CBRS', '50.00'), stored('exit', 'CBRS\u200B', '20.00')]).map((line) => line.returnPercent)).toEqual([-60]);
  });
});
