import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { DbKind } from '../db/adapter.ts';
import type { ChangeBus } from '../cache/change-bus.ts';
import type { OpsDeps } from './ops-deps.ts';

/**
 * What every feature may be built from, feature-free; each feature adds the other features'
 * services it uses (server/deps.ts builds them all once).
 */
export interface Platform {
  config: Readonly<Config>;
  db: Db;
  /** Which database: some work is serialised on SQLite's single writer. */
  dbKind: DbKind;
  clock: Clock;
  logger: Logger;
  /** Metrics, shutdown hooks and readiness. */
  ops: OpsDeps;
  /** How a write tells every instance's caches (server/cache/change-bus.ts). */
  changes: ChangeBus;
  /** Asks the mail worker to deliver soon, after a request queued mail. */
  mailQueued(): void;
  /** Where rate limits count: 'database' shares them between instances (PostgreSQL), else in memory. */
  rateLimitCounters: 'memory' | 'database';
}
