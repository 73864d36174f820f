import type { Db } from '../db/database.ts';

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;

export async function outboxCounts(db: Db): Promise<Record<(typeof OUTBOX_STATUSES)[number], number>> {
  const groups = await db.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } });
  const counts = Object.fromEntries(OUTBOX_STATUSES.map((status) => [status, 0])) as Record<(typeof OUTBOX_STATUSES)[number], number>;
  for (const group of groups) if (group.status in counts) counts[group.status as keyof typeof counts] = group._count._all;
  return counts;
}

export function listFailedMail(db: Db, limit = 200) {
  return db.outboxMessage.findMany({
    where: { status: 'failed' },
    orderBy: { nextAttemptAt: 'desc' },
    take: limit,
    select: { id: true, template: true, recipient: true, attempts: true, lastError: true, nextAttemptAt: true, createdAt: true },
  });
}

/** Puts a failed message back in the queue with a fresh attempt budget; false if it was not failed. */
export async function retryFailedMail(db: Db, id: string, now: Date): Promise<boolean> {
  const { count } = await db.outboxMessage.updateMany({
    where: { id, status: 'failed' },
    data: { status: 'pending', attempts: 0, nextAttemptAt: now, claimedAt: null },
  });
  return count === 1;
}

/** Records the opt-out; every later alert is dropped when queued and again when delivered. */
export async function unsubscribeFromAlerts(db: Db, userId: string): Promise<boolean> {
  const { count } = await db.user.updateMany({ where: { id: userId }, data: { emailAlerts: false } });
  return count === 1;
}
