import type { Db, Tx } from '../db/database.ts';
import { levelAccepts, type AlertSubject } from './alert-preferences.ts';
import { alertLevelsOf } from './alert-preferences.repo.ts';

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

/** Whether an alert goes out: to this user id, or not, and why not (the outbox row's reason for skipping it). */
export type AlertConsent = { userId: string } | { refused: string };

/**
 * For alert recipients, whether each still wants the alert (by user id when the message names one,
 * else by address), in two queries: the master switch `User.emailAlerts`, then the recipient's level
 * for the thesis the alert is about. Checked when an alert is queued and again when it is delivered
 * (a change in between wins). An alert that names no thesis (queued before per-thesis levels) obeys
 * the master switch only.
 */
export async function alertConsents(db: Db | Tx, who: readonly { userId?: string; recipient: string; alert?: AlertSubject }[]): Promise<AlertConsent[]> {
  if (who.length === 0) return [];
  const ids = [...new Set(who.flatMap((one) => (one.userId ? [one.userId] : [])))];
  const emails = [...new Set(who.flatMap((one) => (one.userId ? [] : [one.recipient])))];
  const users = await db.user.findMany({
    where: { OR: [{ id: { in: ids } }, { email: { in: emails } }] },
    select: { id: true, email: true, emailAlerts: true },
  });
  const byId = new Map(users.map((user) => [user.id, user]));
  const byEmail = new Map(users.map((user) => [user.email, user]));
  const consenting = who.map((one) => {
    const user = one.userId ? byId.get(one.userId) : byEmail.get(one.recipient);
    return user?.emailAlerts ? user.id : null;
  });
  const asked = who.flatMap((one, n) => (one.alert && consenting[n] ? [{ n, userId: consenting[n], alert: one.alert }] : []));
  const levels = await alertLevelsOf(db, asked.map(({ userId, alert }) => ({ userId, thesisId: alert.thesisId })));
  const refusedByLevel = new Set(asked.filter((one, k) => !levelAccepts(levels[k], one.alert.change)).map((one) => one.n));
  return consenting.map((userId, n) => {
    if (!userId) return { refused: 'recipient unsubscribed from alerts' };
    if (refusedByLevel.has(n)) return { refused: "recipient's alert setting for this thesis leaves this alert out" };
    return { userId };
  });
}

/**
 * Mail health of the messages queued in [from, until): sent, retried (took more than one attempt,
 * whatever became of them) and failed (gave up after the last retry, still failed now).
 */
export async function outboxHealthBetween(db: Db, from: Date, until: Date): Promise<{ queued: number; sent: number; retried: number; failed: number }> {
  const createdAt = { gte: from, lt: until };
  const [queued, sent, retried, failed] = await Promise.all([
    db.outboxMessage.count({ where: { createdAt } }),
    db.outboxMessage.count({ where: { createdAt, status: 'sent' } }),
    db.outboxMessage.count({ where: { createdAt, attempts: { gt: 1 } } }),
    db.outboxMessage.count({ where: { createdAt, status: 'failed' } }),
  ]);
  return { queued, sent, retried, failed };
}

/** Alert opt-outs now: members who turned every alert off, and (member, thesis) pairs set to no alerts. */
export async function countAlertOptOuts(db: Db): Promise<{ allAlerts: number; thesisAlerts: number }> {
  const [allAlerts, thesisAlerts] = await Promise.all([
    db.user.count({ where: { emailAlerts: false, entitlements: { some: {} } } }),
    db.alertPreference.count({ where: { level: 'none' } }),
  ]);
  return { allAlerts, thesisAlerts };
}
