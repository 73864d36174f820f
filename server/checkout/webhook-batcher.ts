import type Stripe from 'stripe';
import type { Db } from '../db/database.ts';
import type { EventOutcome, EventsInTransaction } from './stripe-events.ts';

export interface WebhookBatcherDeps {
  db: Db;
  /** A batch's work, in order, inside a transaction it does not own (stripe-events.ts). */
  handle: EventsInTransaction;
  /** The same event in a transaction of its own, as before batching: the fallback. */
  processAlone: (event: Stripe.Event) => Promise<EventOutcome>;
  maxBatch?: number;
  /** Batches in flight at once: 1 for SQLite's one writer; a few on PostgreSQL, whose round trips would otherwise idle the pool. */
  concurrency?: number;
}

/**
 * Group commit for Stripe webhooks. Why: SQLite has one writer, and each transaction and each round
 * trip cost far more (BEGIN, COMMIT, Prisma's machinery, a socket write on PostgreSQL) than the work
 * of one event. So concurrent deliveries wait here, and a runner takes up to `maxBatch` of them and
 * hands them, in order, to the handler, which writes a burst of purchases with a few statements for
 * all of them (stripe-events.ts), in ONE transaction; when that commits, every request of the batch
 * is answered. The end state is the one of handling them in turn: a duplicate delivery in the same
 * batch is a duplicate, and two events for one session converge as they always did.
 *
 * The guarantee is unchanged: a promise resolves (the route answers 2xx) only once its event and its
 * effects are committed. If the batch transaction fails (one event hits a bug or loses a unique race
 * with the success page or another instance, or the database is down), nothing of it is kept, and
 * each of its events is run again in a transaction of its own, so one bad event cannot fail the
 * others, and an outage still rejects each of them (5xx, Stripe retries). On PostgreSQL a few
 * batches run at once, each in its own transaction; they, the success page and other instances
 * race through the unique keys and row locks exactly as single events did (a deadlock between two
 * batches fails one of them, which then falls back to one event at a time).
 */
export function createWebhookBatcher(deps: WebhookBatcherDeps): (event: Stripe.Event) => Promise<EventOutcome> {
  const maxBatch = deps.maxBatch ?? 100;
  const concurrency = deps.concurrency ?? 1;
  const queue: Waiting[] = [];
  let running = 0;
  /** A runner is scheduled but has not taken its batch yet: later arrivals will join it. */
  let starting = false;

  async function processBatch(batch: Waiting[]): Promise<void> {
    let outcomes: EventOutcome[];
    try {
      outcomes = await deps.db.$transaction(
        (tx) => deps.handle(tx, batch.map((waiting) => waiting.event)),
        // Generous: a full batch is a hundred events' work, and it must not expire under load.
        { timeout: 30_000, maxWait: 30_000 },
      );
    } catch {
      // In the same order, each on its own: as if they had never been batched.
      for (const waiting of batch) await deps.processAlone(waiting.event).then(waiting.resolve, waiting.reject);
      return;
    }
    batch.forEach((waiting, index) => waiting.resolve(outcomes[index]!));
  }

  async function run(): Promise<void> {
    starting = false;
    try {
      while (queue.length > 0) await processBatch(queue.splice(0, maxBatch));
    } finally {
      running -= 1;
    }
  }

  return (event) =>
    new Promise<EventOutcome>((resolve, reject) => {
      queue.push({ event, resolve, reject });
      if (starting || running >= concurrency) return;
      running += 1;
      starting = true;
      // Not at once: Prisma over better-sqlite3 runs a whole transaction in microtasks, without
      // reading a socket, so starting now would commit each event alone. setImmediate runs after the
      // poll phase, once every request already received has been parsed and queued here.
      setImmediate(run);
    });
}

interface Waiting {
  event: Stripe.Event;
  resolve(outcome: EventOutcome): void;
  reject(error: unknown): void;
}

