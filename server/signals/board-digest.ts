import type { Db } from '../db/database.ts';
import { formatDay, formatInstant } from '../http/dates.ts';

/** The signal board in one line, for the thesis page (an owner's block, a visitor's paywall): how many signal updates, and the latest's date. */
export interface BoardDigest {
  updates: number;
  updatesText: string;
  /** ISO instant, the exact UTC time and the day of the latest signal update; null before the first. */
  lastAt: string | null;
  lastAtExact: string | null;
  lastOn: string | null;
}

/** Signal updates only: section changes and positions are links of the record, not moves of a signal. */
export async function boardDigest(db: Db, thesisId: string): Promise<BoardDigest> {
  // As signalRowsOf in signal-board.ts: what the board lists.
  const where = { thesisId, kind: { not: 'section' }, signalId: { not: null } };
  const [updates, last] = await Promise.all([
    db.signalUpdate.count({ where }),
    db.signalUpdate.findFirst({ where, orderBy: { sequence: 'desc' }, select: { recordedAt: true } }),
  ]);
  return {
    updates,
    updatesText: `${updates} signal update${updates === 1 ? '' : 's'}`,
    lastAt: last ? last.recordedAt.toISOString() : null,
    lastAtExact: last ? formatInstant(last.recordedAt) : null,
    lastOn: last ? formatDay(last.recordedAt) : null,
  };
}
