import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { ChangeBus } from '../cache/change-bus.ts';
import { createEntitlementCache, type EntitlementCache } from './entitlement-cache.ts';

/** Who may read what, remembered per instance, and the one way to say it changed. */
export interface AccessCache {
  canRead: EntitlementCache['canRead'];
  /**
   * These people's access changed (purchase, refund, dispute, grant, revoke): call after the commit.
   * Without ids, anyone's may have. Dropped here at once, on the other instances on their next poll.
   */
  accessChanged(userIds?: string | readonly string[]): Promise<void>;
}

export function createAccessCache({ db, clock, changes }: { db: Db; clock: Clock; changes: ChangeBus }): AccessCache {
  const entitlements = createEntitlementCache({ db, clock });
  changes.on('access', (userIds) => {
    if (userIds === undefined) entitlements.clear();
    for (const userId of userIds ?? []) entitlements.forget(userId);
  });
  return {
    canRead: (viewer, thesisId) => entitlements.canRead(viewer, thesisId),
    accessChanged: (userIds) => changes.announce('access', typeof userIds === 'string' ? [userIds] : userIds),
  };
}
