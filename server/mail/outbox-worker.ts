import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { mintSignInLink } from '../accounts/sign-in-links.ts';
import type { StoredPayload } from './outbox.ts';
import type { MailRenderer, TemplateName } from './templates.ts';
import type { MailTransport } from './transport.ts';

export interface OutboxWorkerDeps {
  db: Db;
  transport: MailTransport;
  renderer: MailRenderer;
  clock: Clock;
  logger: Logger;
  mailFrom: string;
  appUrl: string;
}

export interface OutboxWorker {
  /** Delivers everything due now, then resolves. */
  drain(): Promise<void>;
  /** Asks for a delivery round soon (after a request queued mail). */
  kick(): void;
  start(pollMs?: number): void;
  stop(): Promise<void>;
}

const BATCH_SIZE = 20;
const MAX_ATTEMPTS = 8;
// A row claimed longer ago than this belongs to a process that died mid-send: it is due again.
const CLAIM_TIMEOUT_MS = 5 * 60 * 1000;

const backoffMs = (attempts: number) => Math.min(60 * 60 * 1000, 1000 * 2 ** attempts) * (0.5 + Math.random() / 2);

export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const { db, clock, logger } = deps;
  let running: Promise<number> | null = null;
  let timer: NodeJS.Timeout | undefined;

  async function claimDue(): Promise<string[]> {
    const now = clock.now();
    const staleClaim = new Date(now.getTime() - CLAIM_TIMEOUT_MS);
    const candidates = await db.outboxMessage.findMany({
      where: {
        OR: [
          { status: 'pending', nextAttemptAt: { lte: now } },
          { status: 'sending', claimedAt: { lt: staleClaim } },
        ],
      },
      orderBy: { createdAt: 'asc' },
      take: BATCH_SIZE,
      select: { id: true, status: true, claimedAt: true },
    });
    const claimed: string[] = [];
    for (const row of candidates) {
      // Conditional update: only one worker (or instance) wins each row.
      const { count } = await db.outboxMessage.updateMany({
        where: { id: row.id, status: row.status, claimedAt: row.claimedAt },
        data: { status: 'sending', claimedAt: now },
      });
      if (count === 1) claimed.push(row.id);
    }
    return claimed;
  }

  async function deliver(id: string): Promise<void> {
    const message = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    try {
      const payload = JSON.parse(message.payload) as StoredPayload;
      const data = { ...payload.data };
      if (payload.signInFor) {
        const token = await mintSignInLink(db, payload.signInFor.userId, payload.signInFor.nextPath, clock.now());
        data.signInUrl = `${deps.appUrl}/login/verify?token=${token}`;
        if (deps.transport.kind === 'file') logger.info({ signInUrl: data.signInUrl }, 'development sign-in link');
      }
      const rendered = deps.renderer.render(message.template as TemplateName, data);
      await deps.transport.send({ from: deps.mailFrom, to: message.recipient, ...rendered });
      await db.outboxMessage.update({ where: { id }, data: { status: 'sent', sentAt: clock.now(), attempts: { increment: 1 } } });
    } catch (error) {
      const attempts = message.attempts + 1;
      const failed = attempts >= MAX_ATTEMPTS;
      logger.warn({ err: error, outboxId: id, attempts }, failed ? 'mail failed for good' : 'mail delivery failed, will retry');
      await db.outboxMessage.update({
        where: { id },
        data: {
          status: failed ? 'failed' : 'pending',
          attempts,
          lastError: String(error instanceof Error ? error.message : error).slice(0, 1000),
          nextAttemptAt: new Date(clock.now().getTime() + backoffMs(attempts)),
        },
      });
    }
  }

  async function runOnce(): Promise<number> {
    const claimed = await claimDue();
    // In parallel: the transport's connection pool spreads them; each row's outcome is its own.
    await Promise.all(claimed.map((id) => deliver(id)));
    return claimed.length;
  }

  /** One round at a time per process; a call during a round waits for it. */
  function round(): Promise<number> {
    running ??= runOnce().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    async drain() {
      if (running) await running;
      while ((await round()) > 0);
    },
    kick() {
      setImmediate(() => round().catch((error) => logger.error({ err: error }, 'outbox round failed')));
    },
    start(pollMs = 1000) {
      timer = setInterval(() => this.kick(), pollMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      if (running) await running.catch(() => undefined);
    },
  };
}
