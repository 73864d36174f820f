import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { ClaimedMessage } from './outbox-claim.ts';
import { afterFailure } from './retry-policy.ts';

export interface OutcomeDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  maxAttempts: number;
  retryBaseMs: number;
  random?: () => number;
  /** How long an outcome waits for others to share its write (default 10 ms). */
  lingerMs?: number;
}

/** What the worker learnt about each message; each is written to its row soon after, see below. */
export interface DeliveryOutcomes {
  /** The SMTP server accepted it (250). */
  sent(message: ClaimedMessage): void;
  /** Not sent, on purpose (an alert to someone who unsubscribed). */
  skipped(message: ClaimedMessage, reason: string): void;
  /** This attempt failed: retried later with backoff, or failed for good (5xx, last attempt). */
  failed(message: ClaimedMessage, error: unknown): void;
  /** Writes what is waiting now and resolves once every outcome reported so far is written (or its write failed and was logged). */
  flush(): Promise<void>;
}

type RowUpdate = Parameters<Db['outboxMessage']['updateMany']>[0]['data'];

type Outcome =
  | { kind: 'sent'; message: ClaimedMessage }
  | { kind: 'skipped'; message: ClaimedMessage; reason: string }
  | { kind: 'failed'; message: ClaimedMessage; error: unknown };

/**
 * Records outcomes with group commit: one write at a time, each taking every outcome reported in the
 * `lingerMs` before it began and while the previous write ran, so a busy worker writes once per
 * several messages (one UPDATE for all the sent rows) instead of once per message, and a message the
 * server accepted is still marked 'sent' within a few milliseconds: the duplicate window of README.md
 * stays short. Each row's outcome (status, attempts, error, times) is written by one statement, so no
 * row is ever half-updated; a statement for many rows that fails is retried row by row, so one bad row
 * cannot leave the others unrecorded. A row whose write fails stays 'sending' and is claimed again
 * after the claim timeout.
 */
export function createDeliveryOutcomes(deps: OutcomeDeps): DeliveryOutcomes {
  const { db, clock, logger } = deps;
  const lingerMs = deps.lingerMs ?? 10;
  let queued: Outcome[] = [];
  let writing: Promise<void> | null = null;
  // flush() cuts the wait short: whoever waits for the writes should not wait for company as well.
  let hurry = false;
  let endLinger: (() => void) | null = null;

  function writeSoon(outcome: Outcome): void {
    queued.push(outcome);
    writing ??= (async () => {
      try {
        while (queued.length > 0) {
          if (!hurry) await linger();
          const batch = queued;
          queued = [];
          await write(batch).catch((error) => logger.error({ err: error }, 'could not record mail outcomes'));
        }
      } finally {
        writing = null;
        hurry = false;
      }
    })();
  }

  function linger(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        endLinger = null;
        resolve();
      }, lingerMs);
      endLinger = () => {
        clearTimeout(timer);
        endLinger = null;
        resolve();
      };
    });
  }

  async function write(batch: Outcome[]): Promise<void> {
    const now = clock.now();
    const sent = batch.flatMap((one) => (one.kind === 'sent' ? [one.message.id] : []));
    if (sent.length > 0) await updateRows(sent, { status: 'sent', sentAt: now, attempts: { increment: 1 }, lastError: null });
    const skippedByReason = new Map<string, string[]>();
    for (const one of batch) if (one.kind === 'skipped') skippedByReason.set(one.reason, [...(skippedByReason.get(one.reason) ?? []), one.message.id]);
    for (const [reason, ids] of skippedByReason) await updateRows(ids, { status: 'skipped', lastError: reason });
    for (const one of batch) {
      if (one.kind !== 'failed') continue;
      const attempts = one.message.attempts + 1;
      const next = afterFailure(one.error, attempts, deps);
      logger.warn(
        { err: one.error, outboxId: one.message.id, template: one.message.template, attempts },
        next.status === 'failed' ? 'mail failed for good' : 'mail delivery failed, will retry',
      );
      await updateRows([one.message.id], {
        status: next.status,
        attempts,
        lastError: String(one.error instanceof Error ? one.error.message : one.error).slice(0, 1000),
        nextAttemptAt: new Date(now.getTime() + (next.status === 'pending' ? next.delayMs : 0)),
      });
    }
  }

  /** One UPDATE for these rows; should it fail, one per row, so a bad row leaves the others recorded. */
  async function updateRows(ids: string[], data: RowUpdate): Promise<void> {
    const update = (rows: string[]) =>
      db.outboxMessage.updateMany({ where: { id: { in: rows } }, data }).then(
        () => true,
        (error: unknown) => {
          logger.error({ err: error, outboxIds: rows }, 'could not record mail outcome');
          return false;
        },
      );
    if ((await update(ids)) || ids.length === 1) return;
    for (const id of ids) await update([id]);
  }

  return {
    sent: (message) => writeSoon({ kind: 'sent', message }),
    skipped: (message, reason) => writeSoon({ kind: 'skipped', message, reason }),
    failed: (message, error) => writeSoon({ kind: 'failed', message, error }),
    async flush() {
      hurry = true;
      endLinger?.();
      while (writing) await writing;
      hurry = false;
    },
  };
}
