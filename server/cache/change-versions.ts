import type { Logger } from 'pino';
import { isUniqueViolation, type Db } from '../db/database.ts';

/** Kinds of state that instances cache: thesis content (pages, views), access decisions and sessions ended. */
export type ChangeTopic = 'content' | 'access' | 'sessions';
const TOPICS: readonly ChangeTopic[] = ['content', 'access', 'sessions'];

export interface ChangeVersions {
  /** Tells the other instances that `topic` changed (this one has already dropped its own copies). */
  bump(topic: ChangeTopic): Promise<void>;
  /** Reads the shared versions; calls the listener for each topic another instance changed. */
  poll(): Promise<void>;
  start(): void;
  stop(): void;
}

/**
 * Cross-instance invalidation through one counter row per topic (table ChangeCounter). A change
 * bumps its row; every instance polls the rows every `pollMs` and, when a version moved without
 * it moving it, drops everything it caches for that topic. Staleness on other instances is thus
 * bounded by pollMs plus one query; on the instance that made the change it is zero.
 * Bumps are coalesced (at most one write in flight per topic), so a webhook burst does not turn
 * into a burst of writes on one hot row.
 */
export function createChangeVersions(options: {
  db: Db;
  logger: Logger;
  pollMs: number;
  onRemoteChange(topic: ChangeTopic): void;
}): ChangeVersions {
  const { db, logger } = options;
  const known = new Map<ChangeTopic, number>(TOPICS.map((topic) => [topic, 0]));
  const inFlight = new Map<ChangeTopic, Promise<void>>();
  const again = new Set<ChangeTopic>();
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | null = null;

  async function write(topic: ChangeTopic): Promise<void> {
    const bumpRow = () =>
      db.changeCounter.upsert({ where: { topic }, create: { topic, version: 1 }, update: { version: { increment: 1 } } });
    const row = await bumpRow().catch((error) => (isUniqueViolation(error) ? bumpRow() : Promise.reject(error)));
    // Only our bump since the last read: nothing else to drop. Otherwise leave it to the next poll.
    if (row.version === known.get(topic)! + 1) known.set(topic, row.version);
  }

  function bump(topic: ChangeTopic): Promise<void> {
    const current = inFlight.get(topic);
    if (current) {
      again.add(topic);
      return current;
    }
    const run: Promise<void> = write(topic)
      .finally(() => {
        inFlight.delete(topic);
        if (again.delete(topic)) void bump(topic).catch(() => undefined);
      });
    inFlight.set(topic, run);
    return run;
  }

  async function readVersions(): Promise<void> {
    const rows = await db.changeCounter.findMany({ select: { topic: true, version: true } });
    for (const row of rows) {
      const topic = row.topic as ChangeTopic;
      if (!known.has(topic) || known.get(topic) === row.version) continue;
      known.set(topic, row.version);
      options.onRemoteChange(topic);
    }
  }

  const poll = () => (polling ??= readVersions().finally(() => (polling = null)));

  return {
    bump,
    poll,
    start() {
      timer = setInterval(() => poll().catch((error) => logger.warn({ err: error }, 'change-version poll failed')), options.pollMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
