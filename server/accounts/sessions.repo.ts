import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A session unused this long ends (OWASP ASVS: idle timeout). */
export const IDLE_LIFETIME_MS = 30 * DAY_MS;
/** A session ends this long after sign-in however much it is used. */
export const ABSOLUTE_LIFETIME_MS = 90 * DAY_MS;
/** An unverified session (checkout/success-sign-in.ts) lasts a day: the receipt's link does the rest. */
export const UNVERIFIED_LIFETIME_MS = DAY_MS;

/** What a request needs to know about its session; kept per instance (session-check.ts). */
export interface SessionState {
  userId: string;
  revoked: boolean;
  lastSeenAt: Date;
  /** The earlier of the idle and the absolute expiry. */
  expiresAt: Date;
  absoluteExpiresAt: Date;
}

/** Ended sessions stay listed in the database this long (for support questions), then go. */
export const ENDED_SESSIONS_KEPT_MS = 30 * DAY_MS;

/**
 * Records a new session and returns its id and when it ends unless used again. The account's
 * sessions that ended long ago are deleted on the way, so the table holds little more than live ones.
 */
export async function createSession(db: Db, userId: string, options: { device: string; unverified: boolean; now: Date }) {
  const { device, unverified, now } = options;
  const absoluteExpiresAt = new Date(now.getTime() + (unverified ? UNVERIFIED_LIFETIME_MS : ABSOLUTE_LIFETIME_MS));
  const expiresAt = new Date(Math.min(now.getTime() + IDLE_LIFETIME_MS, absoluteExpiresAt.getTime()));
  const endedBefore = new Date(now.getTime() - ENDED_SESSIONS_KEPT_MS);
  const [, session] = await db.$transaction([
    db.session.deleteMany({ where: { userId, OR: [{ revokedAt: { lt: endedBefore } }, { expiresAt: { lt: endedBefore } }] } }),
    db.session.create({
      data: { id: randomUUID(), userId, createdAt: now, lastSeenAt: now, expiresAt, absoluteExpiresAt, device, unverified },
      select: { id: true, expiresAt: true },
    }),
  ]);
  return session;
}

export async function findSessionState(db: Db, sessionId: string): Promise<SessionState | null> {
  const row = await db.session.findUnique({
    where: { id: sessionId },
    select: { userId: true, revokedAt: true, lastSeenAt: true, expiresAt: true, absoluteExpiresAt: true },
  });
  return row && { userId: row.userId, revoked: row.revokedAt !== null, lastSeenAt: row.lastSeenAt, expiresAt: row.expiresAt, absoluteExpiresAt: row.absoluteExpiresAt };
}

/** Records use of a live session and pushes its idle expiry on; the new expiry, or null if it has ended. */
export async function touchSession(db: Db, sessionId: string, state: SessionState, now: Date): Promise<Date | null> {
  const expiresAt = new Date(Math.min(now.getTime() + IDLE_LIFETIME_MS, state.absoluteExpiresAt.getTime()));
  const { count } = await db.session.updateMany({
    where: { id: sessionId, revokedAt: null, expiresAt: { gt: now } },
    data: { lastSeenAt: now, expiresAt },
  });
  return count === 1 ? expiresAt : null;
}

/** Ends one session of this account; false when it is not one of its live sessions (nothing changes). */
export async function revokeSession(db: Db, userId: string, sessionId: string, now: Date): Promise<boolean> {
  const { count } = await db.session.updateMany({ where: { id: sessionId, userId, revokedAt: null }, data: { revokedAt: now } });
  return count === 1;
}

/**
 * Ends every session of an account. The version bump also ends, atomically, a session being opened
 * meanwhile with the version read before (see session-cookie.ts).
 */
export async function revokeAllSessions(db: Db, userId: string, now: Date): Promise<void> {
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } }),
    db.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } }),
  ]);
}

/** The account's sessions that can still read, most recently used first. */
export function listLiveSessions(db: Db, userId: string, now: Date) {
  return db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, device: true, createdAt: true, lastSeenAt: true },
    orderBy: [{ lastSeenAt: 'desc' }, { createdAt: 'desc' }],
    take: 100,
  });
}
