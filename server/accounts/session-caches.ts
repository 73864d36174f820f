import type { Clock } from '../clock.ts';
import type { ChangeBus } from '../cache/change-bus.ts';
import { createLookupCache, type LookupCache } from '../cache/lookup-cache.ts';
import type { SessionState } from './sessions.repo.ts';

/** What the session checks (session-check.ts) remember per instance, and the one way to drop it. */
export interface SessionCaches {
  /** Each account's current session version, or null when it no longer exists. */
  sessionVersions: LookupCache<number | null>;
  /** Each session's row as last read, by session id, or null when there is none. */
  sessionStates: LookupCache<SessionState | null>;
  /**
   * A session (or, without its id, every session of the account) was revoked: call after the
   * commit. Dropped here, open streams re-checked at once; on the other instances after their poll.
   */
  sessionsEnded(userId: string, sessionId?: string): Promise<void>;
  /** Called whenever sessions ended, on this instance or another (the signal streams re-check). */
  onSessionsEnded(listener: () => void): void;
}

/** How long a remembered answer may live if an announcement was lost. */
const SAFETY_NET_MS = 5 * 60 * 1000;

export function createSessionCaches({ clock, changes }: { clock: Clock; changes: ChangeBus }): SessionCaches {
  const sessionVersions = createLookupCache<number | null>({ clock, maxAgeMs: SAFETY_NET_MS, maxEntries: 50_000 });
  const sessionStates = createLookupCache<SessionState | null>({ clock, maxAgeMs: SAFETY_NET_MS, maxEntries: 50_000 });
  // ids: [userId] (all of the account's sessions) or [userId, sessionId]; none: anyone's.
  changes.on('sessions', (ids) => {
    const [userId, sessionId] = ids ?? [];
    if (userId === undefined) sessionVersions.clear();
    else sessionVersions.forget(userId);
    if (sessionId === undefined) sessionStates.clear();
    else sessionStates.forget(sessionId);
  });
  return {
    sessionVersions,
    sessionStates,
    sessionsEnded: (userId, sessionId) => changes.announce('sessions', sessionId === undefined ? [userId] : [userId, sessionId]),
    onSessionsEnded: (listener) => changes.on('sessions', () => listener()),
  };
}
