import type { Db } from '../db/database.ts';
import type { SessionCaches } from './session-caches.ts';
import type { Clock } from '../clock.ts';
import { currentSessionVersion, isSessionCurrent, renewSession } from './session-check.ts';
import type { SessionStore } from './session-cookie.ts';
import { createSession, revokeSession } from './sessions.repo.ts';
import { describeDevice } from './device-description.ts';

/** Sessions kept in the database and checked through the instance's caches. */
export function createSessionStore({ db, sessions: caches, clock }: { db: Db; sessions: SessionCaches; clock: Clock }): SessionStore {
  return {
    isCurrent: (viewer) => isSessionCurrent(db, caches, viewer, clock.now()),
    renew: (viewer) => renewSession(db, caches, viewer, clock.now()),
    async open(userId, { unverified, sessionVersion, userAgent }) {
      const [version, session] = await Promise.all([
        sessionVersion ?? currentSessionVersion(db, userId),
        createSession(db, userId, { device: describeDevice(userAgent), unverified, now: clock.now() }),
      ]);
      return { sessionId: session.id, sessionVersion: version, expiresAt: Math.floor(session.expiresAt.getTime() / 1000) };
    },
    async end(viewer) {
      if (await revokeSession(db, viewer.userId, viewer.sessionId, clock.now())) await caches.sessionsEnded(viewer.userId, viewer.sessionId);
    },
  };
}
