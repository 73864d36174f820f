import type { Db } from '../db/database.ts';
import type { LookupCache } from '../cache/lookup-cache.ts';
import type { Viewer } from './viewer.ts';

/**
 * The one place a valid token is checked against its account, on every request that carries one:
 * a deleted account or "sign out everywhere" (which increments sessionVersion) ends every token
 * issued before, on every device. The version is remembered per account (a query per request
 * would cap members' pages); every write under /account and /admin drops it (cache/README.md).
 */
export async function isSessionCurrent(db: Db, versions: LookupCache<number | null>, viewer: Viewer): Promise<boolean> {
  const load = async () => {
    const user = await db.user.findUnique({ where: { id: viewer.userId }, select: { sessionVersion: true } });
    return user?.sessionVersion ?? null;
  };
  let version = await versions.get(viewer.userId, load);
  // Versions only grow: a token newer than the remembered version was issued after a change this
  // instance has not heard of yet (another instance signed the owner in), so look again.
  if (version !== null && version < viewer.sessionVersion) {
    versions.forget(viewer.userId);
    version = await versions.get(viewer.userId, load);
  }
  return version === viewer.sessionVersion;
}

/**
 * The same check for a session held open for long (a signal stream, asked at every heartbeat): it
 * also ends when its token expires, which a page request learns from the token itself.
 */
export async function isSessionLive(db: Db, versions: LookupCache<number | null>, viewer: Viewer, now: Date): Promise<boolean> {
  return viewer.expiresAt * 1000 > now.getTime() && isSessionCurrent(db, versions, viewer);
}

/** Ends every session of an account, this one included. */
export async function signOutEverywhere(db: Db, userId: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

export async function currentSessionVersion(db: Db, userId: string): Promise<number> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { sessionVersion: true } });
  return user.sessionVersion;
}
