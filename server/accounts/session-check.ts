import type { Db } from '../db/database.ts';
import type { Viewer } from './viewer.ts';

/**
 * The one place a valid token is checked against its account, on every request that carries one:
 * a deleted account or "sign out everywhere" (which increments sessionVersion) ends every token
 * issued before, on every device. Kept to one indexed lookup so a cache can sit in front of it.
 */
export async function isSessionCurrent(db: Db, viewer: Viewer): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: viewer.userId }, select: { sessionVersion: true } });
  return user !== null && user.sessionVersion === viewer.sessionVersion;
}

/** Ends every session of an account, this one included. */
export async function signOutEverywhere(db: Db, userId: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

export async function currentSessionVersion(db: Db, userId: string): Promise<number> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { sessionVersion: true } });
  return user.sessionVersion;
}
