import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { DbKind } from '../db/adapter.ts';
import { claimDue, type ClaimedMessage } from './outbox-claim.ts';
import { composeMail, type ComposeDeps } from './compose.ts';
import { afterFailure } from './retry-policy.ts';
import type { MailTransport } from './transport.ts';

export interface OutboxWorkerDeps extends ComposeDeps {
  db: Db;
  dbKind: DbKind;
  transport: MailTransport;
  clock: Clock;
  logger: Logger;
  maxAttempts: number;
  retryBaseMs: number;
  /** Rows claimed per round (default 50). */
  batchSize?: number;
  /** Messages in flight at once (default 5, the SMTP pool's size). */
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

export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const { db, clock, logger } = deps;
  const batchSize = deps.batchSize ?? 50;
  const concurrency = deps.concurrency ?? 5;
  const claimTimeoutMs = deps.claimTimeoutMs ?? DEFAULT_CLAIM_TIMEOUT_MS;
  let pumping: Promise<void> | null = null;
  let wanted = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function deliver(message: ClaimedMessage): Promise<void> {
    const log = logger.child({ outboxId: message.id, template: message.template });
    try {
      const composed = await composeMail(deps, message, clock.now());
      if ('skip' in composed) {
        await db.outboxMessage.update({ where: { id: message.id }, data: { status: 'skipped', lastError: composed.skip } });
        return;
      }
      if (composed.signInUrl && deps.transport.kind === 'file') log.info({ signInUrl: composed.signInUrl }, 'development sign-in link');
      await deps.transport.send(composed.send);
    } catch (error) {
      await recordFailure(message, error, log);
      return;
    }
    // Accepted by the SMTP server: record it at once. A crash before this line is the one window in
    // which the message can go out twice (see README.md).
    await db.outboxMessage.update({
      where: { id: message.id },
      data: { status: 'sent', sentAt: clock.now(), attempts: { increment: 1 }, lastError: null },
    });
  }

  async function recordFailure(message: ClaimedMessage, error: unknown, log: Logger): Promise<void> {
    const attempts = message.attempts + 1;
    const next = afterFailure(error, attempts, deps);
    log.warn({ err: error, attempts }, next.status === 'failed' ? 'mail failed for good' : 'mail delivery failed, will retry');
    await db.outboxMessage.update({
      where: { id: message.id },
      data: {
        status: next.status,
        attempts,
        lastError: String(error instanceof Error ? error.message : error).slice(0, 1000),
        nextAttemptAt: new Date(clock.now().getTime() + (next.status === 'pending' ? next.delayMs : 0)),
      },
    });
  }

  /** Claims one batch and delivers it, `concurrency` messages at a time; returns how many were claimed. */
  async function runOnce(): Promise<number> {
    const now = clock.now();
    const claimed = await claimDue(db, deps.dbKind, { now, limit: batchSize, staleBefore: new Date(now.getTime() - claimTimeoutMs) });
    let next = 0;
    const unstarted: string[] = [];
    const lane = async () => {
      while (next < claimed.length) {
        const message = claimed[next++];
        // A batch held too long (a slow or hung server) hands back what it has not started, before
        // its claim looks dead to other instances and they send the same message; so does stop().
        if (stopped || clock.now().getTime() - now.getTime() > claimTimeoutMs / 2) {
          unstarted.push(message.id);
          continue;
        }
        // A database error while recording the outcome leaves the row 'sending': it is reclaimed later.
        await deliver(message).catch((error) => logger.error({ err: error, outboxId: message.id }, 'could not record mail outcome'));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, lane));
    if (unstarted.length) {
      await db.outboxMessage.updateMany({
        where: { id: { in: unstarted }, status: 'sending', claimedAt: now },
        data: { status: 'pending', claimedAt: null, claimedBy: null },
      });
    }
    return claimed.length;
  }

  /** One pump per process; asking while it runs makes it go round once more instead of starting another. */
  function pump(): Promise<void> {
    wanted = true;
    pumping ??= (async () => {
      try {
        while (wanted && !stopped) {
          wanted = false;
          while (!stopped && (await runOnce()) > 0);
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
    start(pollMs = 1000) {
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
