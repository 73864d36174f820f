import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import type { StripeGateway } from './checkout/stripe-gateway.ts';
import type { OpsDeps } from './ops/ops-deps.ts';
import type { AppCaches } from './cache/app-caches.ts';

/** Everything the app is built from; main.ts makes the real ones, tests pass their own. */
export interface AppDeps {
  config: Readonly<Config>;
  db: Db;
  clock: Clock;
  logger: Logger;
  /** null when payments are not configured. */
  stripe: StripeGateway | null;
  /** Asks the mail worker to deliver soon, after a request queued mail. */
  mailQueued(): void;
  /** Metrics, shutdown hooks and readiness (server/ops). */
  ops: OpsDeps;
  /** In-memory caches of the hot paths and their invalidation hooks (server/cache/app-caches.ts). */
  caches: AppCaches;
  /** Where rate limits count: 'database' shares them between instances (PostgreSQL); absent, in memory. */
  rateLimitCounters?: 'memory' | 'database';
}
