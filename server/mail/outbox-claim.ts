import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { DbKind } from '../db/adapter.ts';

export type ClaimedMessage = Awaited<ReturnType<Db['outboxMessage']['findUniqueOrThrow']>>;

export interface ClaimWindow {
  now: Date;
  limit: number;
  /** A row still 'sending' that was claimed before this belongs to a process that died mid-send. */
  staleBefore: Date;
}

/**
 * Moves up to `limit` due rows to 'sending' for this worker alone and returns them. Due: pending
 * and its time has come, or claimed by a worker that has been silent too long (it crashed).
 */
export function claimDue(db: Db, kind: DbKind, window: ClaimWindow): Promise<ClaimedMessage[]> {
  return kind === 'postgres' ? claimWithSkipLocked(db, window) : claimWithConditionalUpdate(db, window);
}

/**
 * PostgreSQL, several instances: rows locked by another instance's claim are skipped rather than
 * waited for, so instances claim disjoint batches without blocking each other.
 */
async function claimWithSkipLocked(db: Db, { now, limit, staleBefore }: ClaimWindow): Promise<ClaimedMessage[]> {
  return db.$transaction(async (tx) => {
    // Prisma stores DateTime as UTC in "timestamp(3)" columns: compare with UTC timestamps.
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "OutboxMessage"
      WHERE ("status" = 'pending' AND "nextAttemptAt" <= ${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')
         OR ("status" = 'sending' AND "claimedAt" < ${staleBefore.toISOString()}::timestamptz AT TIME ZONE 'UTC')
      ORDER BY "createdAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    await tx.outboxMessage.updateMany({ where: { id: { in: ids } }, data: { status: 'sending', claimedAt: now, claimedBy: randomUUID() } });
    return tx.outboxMessage.findMany({ where: { id: { in: ids } }, orderBy: { createdAt: 'asc' } });
  });
}

/**
 * SQLite (one machine, one writer at a time): a single UPDATE over the due candidates, still due when
 * it runs, stamped with a fresh claim id; the rows carrying that id are the ones this worker won.
 * One write per batch, not per row.
 */
async function claimWithConditionalUpdate(db: Db, { now, limit, staleBefore }: ClaimWindow): Promise<ClaimedMessage[]> {
  const due = {
    OR: [
      { status: 'pending', nextAttemptAt: { lte: now } },
      { status: 'sending', claimedAt: { lt: staleBefore } },
    ],
  };
  // Another worker may win every candidate between our read and our write; then look again, since an
  // empty answer would tell the caller nothing is due while plenty may be.
  for (;;) {
    const candidates = await db.outboxMessage.findMany({ where: due, orderBy: { createdAt: 'asc' }, take: limit, select: { id: true } });
    if (candidates.length === 0) return [];
    const claimedBy = randomUUID();
    const ids = candidates.map((row) => row.id);
    const { count } = await db.outboxMessage.updateMany({
      where: { AND: [{ id: { in: ids } }, due] },
      data: { status: 'sending', claimedAt: now, claimedBy },
    });
    // By primary key (claimedBy has no index): the rows won are among the candidates.
    if (count > 0) return db.outboxMessage.findMany({ where: { id: { in: ids }, claimedBy }, orderBy: { createdAt: 'asc' } });
  }
}
