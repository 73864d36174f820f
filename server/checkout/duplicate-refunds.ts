import { startPeriodicJob } from '../ops/periodic-job.ts';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { StripeGateway } from './stripe-gateway.ts';
import { fillPendingTaxLines } from './pending-tax-lines.ts';

export interface DuplicateRefundDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  stripe: StripeGateway;
}

const BATCH = 20;
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 60 * 60 * 1000;

/** Doubles from 30 s per failed attempt, up to an hour: Stripe down for a while must not be hammered. */
export const nextRefundAttemptIn = (attempts: number) => Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);

/**
 * Refunds the duplicate payments fulfilment recorded (duplicate-payments.ts), outside any database
 * transaction: an API call must not hold SQLite's writer. The idempotency key is the payment intent,
 * so two instances, or a crash between Stripe's answer and our update, still make one refund. A
 * failure is recorded and retried later with backoff; `everything` (reconciliation) ignores the backoff.
 * Returns how many were refunded.
 */
export async function refundDuplicatePayments(deps: DuplicateRefundDeps, options: { everything?: boolean } = {}): Promise<number> {
  const { db, clock, logger, stripe } = deps;
  const due = await db.duplicateRefund.findMany({
    where: { status: 'pending', ...(!options.everything && { nextAttemptAt: { lte: clock.now() } }) },
    orderBy: { nextAttemptAt: 'asc' },
    take: BATCH,
  });
  let refunded = 0;
  for (const row of due) {
    try {
      const { refundId } = await stripe.refundPayment(row.paymentIntentId, `duplicate-refund:${row.paymentIntentId}`);
      await db.duplicateRefund.updateMany({ where: { id: row.id, status: 'pending' }, data: { status: 'refunded', refundId, lastError: null, updatedAt: clock.now() } });
      logger.info({ paymentIntentId: row.paymentIntentId, refundId }, 'duplicate payment refunded');
      refunded += 1;
    } catch (error) {
      const attempts = row.attempts + 1;
      const now = clock.now();
      await db.duplicateRefund.updateMany({
        where: { id: row.id, status: 'pending' },
        data: { attempts, lastError: String((error as Error)?.message ?? error).slice(0, 500), nextAttemptAt: new Date(now.getTime() + nextRefundAttemptIn(attempts)), updatedAt: now },
      });
      logger.warn({ err: error, paymentIntentId: row.paymentIntentId, attempts }, 'duplicate payment refund failed; will retry');
    }
  }
  return refunded;
}

/**
 * Polls for duplicate payments to refund, and for purchases whose tax lines Stripe could not give at
 * fulfilment (both rare: a slow poll is enough). Started by main.ts.
 */
export function startDuplicateRefundWorker(deps: DuplicateRefundDeps, intervalMs = 15_000): { stop(): Promise<void> } {
  return startPeriodicJob('duplicate refund worker', intervalMs, async () => {
    await refundDuplicatePayments(deps);
    await fillPendingTaxLines(deps);
  }, deps.logger);
}
