import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { createEntitlementCache, type EntitlementCache } from '../access/entitlement-cache.ts';
import { createPublicPageCache, type PublicPageCache } from '../http/public-page-cache.ts';
import { createChangeVersions, type ChangeVersions } from './change-versions.ts';

/**
 * The in-memory caches in front of the hot paths, and the two hooks that keep them honest.
 * Whoever commits a change calls the matching hook afterwards; this instance drops its copies at
 * once, the others within `pollMs` (see change-versions.ts). See server/cache/README.md.
 */
export interface AppCaches {
  publicPages: PublicPageCache;
  entitlements: EntitlementCache;
  /** A thesis (its text, sections, signals, price, publication) was created, edited or removed. */
  contentChanged(): Promise<void>;
  /**
   * This person's access may have changed (purchase, refund, dispute, grant, revoke, sign-out
   * everywhere); without a user id, anyone's may have (a webhook event, an admin action).
   */
  accessChanged(userId?: string): Promise<void>;
  /** Polls the other instances' changes until stop(). */
  start(): void;
  stop(): void;
  versions: ChangeVersions;
}

export const DEFAULT_CHANGE_POLL_MS = 1000;

export function createAppCaches(options: { db: Db; clock: Clock; logger: Logger; pollMs?: number }): AppCaches {
  const { db, clock, logger } = options;
  const publicPages = createPublicPageCache({ clock });
  const entitlements = createEntitlementCache({ db, clock });
  // Thesis views are cached per revision (catalog/public-render-cache.ts) and need no dropping.
  const dropContent = () => publicPages.clear();
  const versions = createChangeVersions({
    db,
    logger,
    pollMs: options.pollMs ?? DEFAULT_CHANGE_POLL_MS,
    onRemoteChange: (topic) => (topic === 'content' ? dropContent() : entitlements.clear()),
  });
  // Telling the other instances is best effort from the caller's point of view: its own change has
  // committed; a failed bump is logged and the TTLs bound the staleness elsewhere.
  const tellOthers = (topic: 'content' | 'access') =>
    versions.bump(topic).catch((error) => logger.warn({ err: error, topic }, 'could not publish a cache invalidation'));
  return {
    publicPages,
    entitlements,
    versions,
    async contentChanged() {
      dropContent();
      await tellOthers('content');
    },
    async accessChanged(userId) {
      if (userId) entitlements.forget(userId);
      else entitlements.clear();
      await tellOthers('access');
    },
    start: () => versions.start(),
    stop: () => versions.stop(),
  };
}
