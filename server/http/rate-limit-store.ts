import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';

// Expired counters are deleted now and then, by whichever instance counts next.
const PRUNE_EVERY_MS = 10 * 60 * 1000;

/**
 * An express-rate-limit store in the database, so every instance on one PostgreSQL counts the same
 * hits: one atomic INSERT … ON CONFLICT DO UPDATE … RETURNING per hit, which starts a new window once
 * the old one has passed. Windows are counted on the app's clock. No reset time is handed back:
 * express-rate-limit would compare it with its own wall clock (and, past it, skip the decrement of a
 * successful request). (The maintained PostgreSQL store,
 * @acpr/rate-limit-postgresql, opens its own pool, runs its own migrations and counts on the
 * database's clock; this table lives in our schema and migrations instead.)
 */
export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private prunedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** Names the limiter: keys of different limiters never meet. */
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const now = this.clock.now();
    const resetAt = new Date(now.getTime() + this.windowMs);
    const [counter] = await this.db.$queryRaw<{ hits: number }[]>`
      INSERT INTO "RateLimitCounter" ("key", "hits", "resetAt") VALUES (${this.prefix + key}, 1, ${resetAt})
      ON CONFLICT ("key") DO UPDATE SET
        "hits" = CASE WHEN "RateLimitCounter"."resetAt" <= ${now} THEN 1 ELSE "RateLimitCounter"."hits" + 1 END,
        "resetAt" = CASE WHEN "RateLimitCounter"."resetAt" <= ${now} THEN ${resetAt} ELSE "RateLimitCounter"."resetAt" END
      RETURNING "hits"`;
    if (now.getTime() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = now.getTime();
      await this.db.rateLimitCounter.deleteMany({ where: { resetAt: { lt: now } } });
    }
    return { totalHits: Number(counter.hits), resetTime: undefined };
  }

  async decrement(key: string): Promise<void> {
    await this.db.rateLimitCounter.updateMany({ where: { key: this.prefix + key, hits: { gt: 0 } }, data: { hits: { decrement: 1 } } });
  }

  async resetKey(key: string): Promise<void> {
    await this.db.rateLimitCounter.deleteMany({ where: { key: this.prefix + key } });
  }
}
