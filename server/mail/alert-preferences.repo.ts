import type { Db, Tx } from '../db/database.ts';
import { DEFAULT_ALERT_LEVEL, isAlertLevel, type AlertLevel } from './alert-preferences.ts';

const pairKey = (userId: string, thesisId: string) => `${userId} ${thesisId}`;

/** Each (member, thesis) pair's level, in one query; pairs without a stored choice get the default. */
export async function alertLevelsOf(db: Db | Tx, pairs: readonly { userId: string; thesisId: string }[]): Promise<AlertLevel[]> {
  if (pairs.length === 0) return [];
  const rows = await db.alertPreference.findMany({
    where: { userId: { in: [...new Set(pairs.map((one) => one.userId))] }, thesisId: { in: [...new Set(pairs.map((one) => one.thesisId))] } },
    select: { userId: true, thesisId: true, level: true },
  });
  const stored = new Map(rows.map((row) => [pairKey(row.userId, row.thesisId), row.level]));
  return pairs.map((one) => {
    const level = stored.get(pairKey(one.userId, one.thesisId));
    return isAlertLevel(level) ? level : DEFAULT_ALERT_LEVEL;
  });
}

/** Stores a member's level for one thesis. Whether they hold it is the caller's question. */
export async function setAlertLevel(db: Db, userId: string, thesisId: string, level: AlertLevel, now: Date): Promise<void> {
  await db.alertPreference.upsert({
    where: { userId_thesisId: { userId, thesisId } },
    create: { userId, thesisId, level, updatedAt: now },
    update: { level, updatedAt: now },
  });
}

/** The title of the thesis a per-thesis unsubscribe link names, for its page; null if there is none. */
export async function alertThesisTitle(db: Db, thesisId: string): Promise<string | null> {
  return (await db.thesis.findUnique({ where: { id: thesisId }, select: { title: true } }))?.title ?? null;
}

/**
 * A per-thesis one-click unsubscribe: that thesis set to "none", nothing else. Answers the thesis's
 * title, or null when the user or the thesis no longer exists (the token is genuine, but there is
 * nothing to set).
 */
export async function stopThesisAlerts(db: Db, userId: string, thesisId: string, now: Date): Promise<string | null> {
  const [user, title] = await Promise.all([db.user.findUnique({ where: { id: userId }, select: { id: true } }), alertThesisTitle(db, thesisId)]);
  if (!user || title === null) return null;
  await setAlertLevel(db, userId, thesisId, 'none', now);
  return title;
}
