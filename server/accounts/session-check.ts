import type { Db } from '../db/database.ts';
import type { SessionCaches } from './session-caches.ts';
import { findSessionState, touchSession, type SessionState } from './sessions.repo.ts';
import type { Viewer } from './viewer.ts';

/** What the checks read; sign-outs drop it here and on the others (session-caches.ts). */
type Checked = Pick<SessionCaches, 'sessionVersions' | 'sessionStates'>;

/** lastSeenAt (and the idle expiry with it) is written at most this often per session, not per request. */
export const LAST_SEEN_EVERY_MS = 5 * 60 * 1000;

const stateOf = (db: Db, caches: Checked, sessionId: string) =>
  caches.sessionStates.get(sessionId, () => findSessionState(db, sessionId));

const isLiveState = (state: SessionState | null, viewer: Viewer, now: Date) =>
  state !== null && !state.revoked && state.userId === viewer.userId && state.expiresAt > now;

/**
 * The one place a valid token is checked against the server, on every request that carries one: its
 * session must not be revoked (sign-out) nor expired (idle or absolute), and the account must still
 * be at the token's session version (a deleted account, "sign out everywhere" or the first proof of
 * the address ends every earlier token). Both are remembered per instance (a query per request
 * would cap members' pages) and dropped by the change announcements (session-caches.ts).
 */
export async function isSessionCurrent(db: Db, caches: Checked, viewer: Viewer, now: Date): Promise<boolean> {
  const { sessionVersions } = caches;
  const load = async () => {
    const user = await db.user.findUnique({ where: { id: viewer.userId }, select: { sessionVersion: true } });
    return user?.sessionVersion ?? null;
  };
  let version = await sessionVersions.get(viewer.userId, load);
  // Versions only grow: a token newer than the remembered version was issued after a change this
  // instance has not heard of yet (another instance signed the owner in), so look again.
  if (version !== null && version < viewer.sessionVersion) {
    sessionVersions.forget(viewer.userId);
    version = await sessionVersions.get(viewer.userId, load);
  }
  return version === viewer.sessionVersion && isLiveState(await stateOf(db, caches, viewer.sessionId), viewer, now);
}

/**
 * The same check for a session held open for long (a signal stream, asked at every heartbeat and
 * whenever sessions end): it also ends when its token expires, which a page request learns from the token.
 */
export async function isSessionLive(db: Db, caches: Checked, viewer: Viewer, now: Date): Promise<boolean> {
  return viewer.expiresAt * 1000 > now.getTime() && isSessionCurrent(db, caches, viewer, now);
}

/**
 * Records that a current session was used, at most every LAST_SEEN_EVERY_MS, pushing its idle expiry
 * on. Returns the new expiry (seconds) when the token should be re-issued to match, else null.
 */
export async function renewSession(db: Db, caches: Checked, viewer: Viewer, now: Date): Promise<number | null> {
  const state = await stateOf(db, caches, viewer.sessionId);
  if (!state || now.getTime() - state.lastSeenAt.getTime() < LAST_SEEN_EVERY_MS) return null;
  // Claimed before the write, so the requests arriving meanwhile do not write too.
  state.lastSeenAt = now;
  const expiresAt = await touchSession(db, viewer.sessionId, state, now);
  if (!expiresAt) {
    caches.sessionStates.forget(viewer.sessionId);
    return null;
  }
  state.expiresAt = expiresAt;
  const seconds = Math.floor(expiresAt.getTime() / 1000);
  return seconds > viewer.expiresAt ? seconds : null;
}

export async function currentSessionVersion(db: Db, userId: string): Promise<number> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { sessionVersion: true } });
  return user.sessionVersion;
}
