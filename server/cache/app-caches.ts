import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { createEntitlementCache, type EntitlementCache } from '../access/entitlement-cache.ts';
import { createPublicPageCache, type PublicPageCache } from '../http/public-page-cache.ts';
import { createChangeVersions, type ChangeTopic, type ChangeVersions } from './change-versions.ts';
import { createLookupCache, type LookupCache } from './lookup-cache.ts';
import type { SessionState } from '../accounts/sessions.repo.ts';

/**
 * The in-memory caches in front of the hot paths, and the two hooks that keep them honest.
 * Whoever commits a change calls the matching hook afterwards; this instance drops its copies at
 * once, the others within `pollMs` (see change-versions.ts). See server/cache/README.md.
 */
export interface AppCaches {
  publicPages: PublicPageCache;
  entitlements: EntitlementCache;
  /** Each account's current session version, or null when it no longer exists (accounts/session-check.ts). */
  sessionVersions: LookupCache<number | null>;
  /** Each session's row as last read, by session id, or null when there is none (accounts/session-check.ts). */
  sessionStates: LookupCache<SessionState | null>;
  /** A new cache of something derived from thesis content, dropped with every content change. */
  contentLookup<V>(): LookupCache<V>;
  /** A thesis (its text, sections, signals, price, publication) was created, edited or removed. */
  contentChanged(): Promise<void>;
  /**
   * These people's access may have changed (purchase, refund, dispute, grant, revoke, sign-out
   * everywhere); without user ids, anyone's may have (an admin action).
   */
  accessChanged(userIds?: string | readonly string[]): Promise<void>;
  /**
   * A session (or, without its id, every session of the account) was revoked: dropped here, open
   * streams re-checked at once, here and on the other instances after their next poll.
   */
  sessionsEnded(userId: string, sessionId?: string): Promise<void>;
  /** Called whenever sessions ended, on this instance or another (the signal streams re-check). */
  onSessionsEnded(listener: () => void): void;
  /** Polls the other instances' changes until stop(). */
  start(): void;
  stop(): void;
  versions: ChangeVersions;
}

export const DEFAULT_CHANGE_POLL_MS = 1000;
/** How long a remembered answer may live if an invalidation was forgotten. */
const SAFETY_NET_MS = 5 * 60 * 1000;

export function createAppCaches(options: { db: Db; clock: Clock; logger: Logger; pollMs?: number }): AppCaches {
  const { db, clock, logger } = options;
  const publicPages = createPublicPageCache({ clock });
  const entitlements = createEntitlementCache({ db, clock });
  const sessionVersions = createLookupCache<number | null>({ clock, maxAgeMs: SAFETY_NET_MS, maxEntries: 50_000 });
  const sessionStates = createLookupCache<SessionState | null>({ clock, maxAgeMs: SAFETY_NET_MS, maxEntries: 50_000 });
  const sessionListeners: (() => void)[] = [];
  const dropSessions = () => {
    sessionVersions.clear();
    sessionStates.clear();
    for (const listener of sessionListeners) listener();
  };
  const contentLookups: LookupCache<unknown>[] = [];
  // Public thesis views are cached per revision (catalog/public-render-cache.ts) and need no dropping.
  const dropContent = () => {
    publicPages.clear();
    for (const lookup of contentLookups) lookup.clear();
  };
  const dropAccess = () => {
    entitlements.clear();
    sessionVersions.clear();
  };
  const versions = createChangeVersions({
    db,
    logger,
    pollMs: options.pollMs ?? DEFAULT_CHANGE_POLL_MS,
    onRemoteChange: (topic) => (topic === 'content' ? dropContent() : topic === 'sessions' ? dropSessions() : dropAccess()),
  });
  // Telling the other instances is best effort from the caller's point of view: its own change has
  // committed; a failed bump is logged and the TTLs bound the staleness elsewhere.
  const tellOthers = (topic: ChangeTopic) =>
    versions.bump(topic).catch((error) => logger.warn({ err: error, topic }, 'could not publish a cache invalidation'));
  return {
    publicPages,
    entitlements,
    sessionVersions,
    sessionStates,
    versions,
    contentLookup<V>() {
      const lookup = createLookupCache<V>({ clock, maxAgeMs: SAFETY_NET_MS, maxEntries: 1000 });
      contentLookups.push(lookup);
      return lookup;
    },
    async contentChanged() {
      dropContent();
      await tellOthers('content');
    },
    async accessChanged(userIds) {
      if (userIds === undefined) dropAccess();
      for (const userId of typeof userIds === 'string' ? [userIds] : (userIds ?? [])) {
        entitlements.forget(userId);
        sessionVersions.forget(userId);
      }
      await tellOthers('access');
    },
    async sessionsEnded(userId, sessionId) {
      sessionVersions.forget(userId);
      if (sessionId === undefined) sessionStates.clear();
      else sessionStates.forget(sessionId);
      for (const listener of sessionListeners) listener();
      await tellOthers('sessions');
    },
    onSessionsEnded(listener) {
      sessionListeners.push(listener);
    },
    start: () => versions.start(),
    stop: () => versions.stop(),
  };
}
