import type { Db } from '../db/database.ts';
import { formatDay } from '../http/dates.ts';

/**
 * For the paywall: how many signal updates a thesis has had and when the latest was recorded.
 * Counts status updates only (not section edits or position entries) and reads no content.
 */
export async function signalUpdateSummary(db: Db, thesisId: string) {
  const where = { thesisId, kind: 'signal' };
  const [count, latest] = await Promise.all([
    db.signalUpdate.count({ where }),
    db.signalUpdate.findFirst({ where, orderBy: { sequence: 'desc' }, select: { recordedAt: true } }),
  ]);
  return {
    count,
    countText: `${count} signal update${count === 1 ? '' : 's'}`,
    latest: latest ? { on: formatDay(latest.recordedAt), at: latest.recordedAt.toISOString() } : null,
  };
}

export type SignalUpdateSummary = Awaited<ReturnType<typeof signalUpdateSummary>>;
