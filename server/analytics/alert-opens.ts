import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { lruTimingOf, type Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { latestAlertSince } from '../signals/signal-log.repo.ts';
import { addAlertOpen } from './alert-opens.repo.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long this instance trusts its answer to "the thesis's latest alert in the last day". */
export const LATEST_ALERT_TTL_MS = 10_000;

export interface AlertOpens {
  /**
   * A member (not an admin) was shown a thesis's members' layer. If an alert about it went out in the
   * last 24 hours, their first such read is recorded against the latest one. Never throws: a failed
   * write is logged and the page is served all the same.
   */
  record(userId: string, thesisId: string): Promise<void>;
}

/**
 * "Members who opened the alert's thesis within a day", recorded cheaply: the thesis's latest alert
 * is looked up at most every 10 s per instance, and each (alert, member) pair is written once
 * (remembered here, and ON CONFLICT DO NOTHING across instances).
 */
export function createAlertOpens({ db, clock, logger }: { db: Db; clock: Clock; logger: Logger }): AlertOpens {
  const latestAlerts = new LRUCache<string, { id: string; recordedAt: Date } | 'none'>({
    max: 1_000,
    ttl: LATEST_ALERT_TTL_MS,
    ...lruTimingOf(clock),
    fetchMethod: async (thesisId) => (await latestAlertSince(db, thesisId, new Date(clock.now().getTime() - DAY_MS))) ?? 'none',
  });
  // lru-cache allocates its arrays for `max` up front; a pair forgotten costs one insert that does nothing.
  const written = new LRUCache<string, true>({ max: 10_000 });
  return {
    async record(userId, thesisId) {
      try {
        const now = clock.now();
        const alert = await latestAlerts.fetch(thesisId);
        if (!alert || alert === 'none' || now.getTime() - alert.recordedAt.getTime() >= DAY_MS) return;
        const key = `${alert.id}:${userId}`;
        if (written.has(key)) return;
        await addAlertOpen(db, { signalUpdateId: alert.id, thesisId, userId, openedAt: now });
        written.set(key, true);
      } catch (error) {
        logger.warn({ err: error }, 'could not record an alert open');
      }
    },
  };
}
