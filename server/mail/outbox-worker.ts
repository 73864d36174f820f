import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { DbKind } from '../db/adapter.ts';
import { claimDue, type ClaimedMessage } from './outbox-claim.ts';
import { composeBatch, type Composed, type ComposeDeps } from './compose.ts';
import { createDeliveryOutcomes } from './delivery-outcomes.ts';
import type { MailTransport } from './transport.ts';

export interface OutboxWorkerDeps extends ComposeDeps {
  db: Db;
  dbKind: DbKind;
  transport: MailTransport;
  clock: Clock;
  logger: Logger;
  maxAttempts: number;
  retryBaseMs: number;
  /** Rows claimed, composed and started together (default 100). */
  batchSize?: number;
  /** Messages in flight at once (default 10, the SMTP pool's size). */
  concurrency?: number;
  /** After this long in 'sending', a claim is presumed dead and the row is due again (default 5 min). */
  claimTimeoutMs?: number;
  random?: () => number;
}

export interface OutboxWorker {
  /** Delivers everything due now (including mail queued meanwhile), then resolves. */
  drain(): Promise<void>;
  /** Asks for delivery soon (after a request queued mail). */
  kick(): void;
  start(pollMs?: number): void;
  /** Finishes the message being sent, hands the rest of its claimed rows back, and stops polling. */
  stop(): Promise<void>;
  /** True between start() and stop(): /readyz reports it. */
  isRunning(): boolean;
}

export const DEFAULT_CLAIM_TIMEOUT_MS = 5 * 60 * 1000;
/**
 * How often a running worker looks for due mail by itself: mail queued by another instance or a
 * script, and retries coming due (mail queued in this process is kicked at once). An idle look is one
 * indexed read, so four a second cost nothing and such mail waits a quarter of a second at most.
 */
export const DEFAULT_POLL_MS = 250;
/** Messages in flight at once, and so the SMTP pool's size. */
export const DEFAULT_CONCURRENCY = 10;

export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const { db, clock, logger } = deps;
  const batchSize = deps.batchSize ?? 100;
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const claimTimeoutMs = deps.claimTimeoutMs ?? DEFAULT_CLAIM_TIMEOUT_MS;
  const outcomes = createDeliveryOutcomes(deps);
  let pumping: Promise<void> | null = null;
  let wanted = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function deliver(message: ClaimedMessage, composed: Composed): Promise<void> {
    if ('skip' in composed) return outcomes.skipped(message, composed.skip);
    if ('error' in composed) return outcomes.failed(message, composed.error);
    try {
      const mail = composed.render();
      if (mail.signInUrl && deps.transport.kind === 'file') logger.info({ outboxId: message.id, signInUrl: mail.signInUrl }, 'development sign-in link');
      await deps.transport.send(mail.send);
    } catch (error) {
      return outcomes.failed(message, error);
    }
    // Accepted by the SMTP server: recorded with the next write, which starts at once or as soon as
    // the one in flight ends. A crash before it lands is the one window in which the message can go
    // out twice (see README.md).
    outcomes.sent(message);
  }

  /**
   * Delivers until nothing is due: claims a batch, composes it, and starts its messages as soon as one
   * of the `concurrency` slots is free. The next batch is claimed while the last messages of this one
   * are still in flight, so the SMTP pool does not sit idle between batches.
   */
  async function deliverDue(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    try {
      while (!stopped) {
        // Record this worker's accepted messages before looking for due rows, so none of them can pass
        // for a dead claim however long its write took (or however far a test clock jumped meanwhile).
        await outcomes.flush();
        const now = clock.now();
        const claimed = await claimDue(db, deps.dbKind, { now, limit: batchSize, staleBefore: new Date(now.getTime() - claimTimeoutMs) });
        if (claimed.length === 0) break;
        const composed = await composeBatch(deps, claimed, now);
        for (const [index, message] of claimed.entries()) {
          while (inFlight.size >= concurrency) await Promise.race(inFlight);
          // A batch held too long (a slow or hung server) hands back what it has not started, before
          // its claim looks dead to other instances and they send the same message; so does stop().
          if (stopped || clock.now().getTime() - now.getTime() > claimTimeoutMs / 2) {
            await handBack(claimed.slice(index), now);
            break;
          }
          const delivery: Promise<void> = deliver(message, composed[index])
            .catch((error) => logger.error({ err: error, outboxId: message.id }, 'mail delivery failed unexpectedly'))
            .finally(() => inFlight.delete(delivery));
          inFlight.add(delivery);
        }
      }
    } finally {
      await Promise.all(inFlight);
      await outcomes.flush();
    }
  }

  /** Unstarted rows go back to 'pending', due at once for whichever worker claims next. */
  async function handBack(messages: readonly ClaimedMessage[], claimedAt: Date): Promise<void> {
    await db.outboxMessage.updateMany({
      where: { id: { in: messages.map((message) => message.id) }, status: 'sending', claimedAt },
      data: { status: 'pending', claimedAt: null, claimedBy: null },
    });
  }

  /** One pump per process; asking while it runs makes it go round once more instead of starting another. */
  function pump(): Promise<void> {
    wanted = true;
    pumping ??= (async () => {
      try {
        while (wanted && !stopped) {
          wanted = false;
          await deliverDue();
        }
      } finally {
        pumping = null;
      }
    })();
    return pumping;
  }

  return {
    drain: () => pump(),
    kick() {
      pump().catch((error) => logger.error({ err: error }, 'outbox round failed'));
    },
    start(pollMs = DEFAULT_POLL_MS) {
      stopped = false;
      timer = setInterval(() => this.kick(), pollMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
      if (pumping) await pumping.catch(() => undefined);
    },
    isRunning: () => timer !== undefined && !stopped,
  };
}
