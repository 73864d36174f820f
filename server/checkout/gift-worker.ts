import { startPeriodicJob } from '../ops/periodic-job.ts';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { inPaymentTransaction } from './fulfilment.ts';
import { deliverGift } from './gift-delivery.ts';

export interface GiftWorkerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

const BATCH = 50;

/**
 * Delivers the paid gifts whose date has come (a gift dated today was delivered by fulfilment
 * already), each in its own transaction: one that fails is logged and tried on the next run. Safe to
 * run twice at once or on two instances: deliverGift claims each gift with a conditional update.
 * Returns the recipients who got access (their cached access must be dropped) and whether mail was queued.
 */
export async function deliverDueGifts(deps: GiftWorkerDeps): Promise<{ recipients: string[]; mailQueued: boolean }> {
  const { db, clock, logger } = deps;
  const now = clock.now();
  const due = await db.gift.findMany({
    where: { deliveredAt: null, cancelledAt: null, purchaseId: { not: null }, deliverOn: { lte: now } },
    orderBy: { deliverOn: 'asc' },
    select: { id: true },
    take: BATCH,
  });
  const recipients: string[] = [];
  let mailQueued = false;
  for (const { id } of due) {
    try {
      const delivery = await inPaymentTransaction(db, (tx) => deliverGift(tx, id, now));
      if (delivery.status === 'delivered') recipients.push(delivery.recipientUserId);
      mailQueued ||= delivery.status === 'delivered' || delivery.status === 'refunded';
    } catch (error) {
      logger.error({ err: error, giftId: id }, 'gift delivery failed; will retry');
    }
  }
  return { recipients, mailQueued };
}

/** Runs deliverDueGifts every minute on the injected clock's time; started with the other background work. */
export function startGiftDeliveryWorker(
  deps: GiftWorkerDeps & { accessChanged(userIds: readonly string[]): Promise<void>; mailQueued(): void },
  intervalMs = 60_000,
): { stop(): Promise<void> } {
  return startPeriodicJob(
    'gift delivery worker',
    intervalMs,
    async () => {
      const { recipients, mailQueued } = await deliverDueGifts(deps);
      if (mailQueued) deps.mailQueued();
      if (recipients.length > 0) await deps.accessChanged(recipients);
    },
    deps.logger,
  );
}
