import { LRUCache } from 'lru-cache';
import { lruTimingOf, type Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { canReadMembersLayer, sessionReaches } from './access.ts';

export interface EntitlementCache {
  /** The same answer as canReadMembersLayer, from memory when this person was asked about lately. */
  canRead(viewer: Pick<Viewer, 'userId' | 'unverifiedFor'> | null, thesisId: string): Promise<boolean>;
  /** Drops what is known about one person: call after their access changed (here, at once). */
  forget(userId: string): void;
  /** Drops everything: another instance changed someone's access. */
  clear(): void;
}

/**
 * An in-memory cache in front of the paywall's database lookup (one query per members' request
 * would cap the hottest page at the database's few thousand lookups a second).
 *
 * Correctness rests on invalidation, not on the TTL: every change that can grant or take access
 * (purchase, refund, dispute, admin grant or revoke, sign-out everywhere) must call
 * AccessCache.accessChanged(userId) after it commits (access-cache.ts). The promise is stored before the lookup runs,
 * so a forget() that follows a commit also drops a lookup that read the database before it.
 * `maxAgeMs` only bounds the damage of a forgotten hook, counted from a person's first decision
 * (their later ones go with it, early rather than late); `maxUsers` bounds memory (least recently
 * used out first).
 */
export function createEntitlementCache(options: { db: Db; clock: Clock; maxAgeMs?: number; maxUsers?: number }): EntitlementCache {
  const { db, clock } = options;
  // Per person, so forget(userId) is one delete; each person's decisions by thesis.
  const byUser = new LRUCache<string, Map<string, Promise<boolean>>>({
    max: options.maxUsers ?? 50_000,
    ttl: options.maxAgeMs ?? 5 * 60 * 1000,
    ...lruTimingOf(clock),
  });

  // Keyed by account: only sessions that reach the thesis get here, so the answer is the account's.
  function remember(userId: string, thesisId: string, viewer: Pick<Viewer, 'userId'>): Promise<boolean> {
    let decisions = byUser.get(userId);
    if (!decisions) {
      decisions = new Map();
      byUser.set(userId, decisions);
    }
    const answer = canReadMembersLayer(db, viewer, thesisId);
    decisions.set(thesisId, answer);
    // A failed lookup is not an answer: the next request asks the database again.
    answer.catch(() => {
      if (decisions.get(thesisId) === answer) decisions.delete(thesisId);
    });
    return answer;
  }

  return {
    canRead(viewer, thesisId) {
      if (!sessionReaches(viewer, thesisId)) return Promise.resolve(false);
      return byUser.get(viewer.userId)?.get(thesisId) ?? remember(viewer.userId, thesisId, viewer);
    },
    forget(userId) {
      byUser.delete(userId);
    },
    clear() {
      byUser.clear();
    },
  };
}
