import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';

/**
 * The site's Prometheus metrics, one registry per app (tests build several apps in one process).
 * Features record into these; `sseStreams` is for the live signal stream (inc on open, dec on close).
 */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  checkoutsCreated: Counter;
  webhookFailures: Counter<'status_code'>;
  /** Public pages answered from memory; they are timed in httpDuration too, under the route that rendered them. */
  publicPageCacheHits: Counter<'route'>;
  sseStreams: Gauge;
}

export function createMetrics({ db, clock }: { db: Db; clock: Clock }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'warren_' });
  const registers = [registry];

  const metrics: Metrics = {
    registry,
    httpDuration: new Histogram({
      name: 'warren_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by route pattern',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    checkoutsCreated: new Counter({ name: 'warren_checkouts_created_total', help: 'Stripe Checkout Sessions created by this process', registers }),
    webhookFailures: new Counter({
      name: 'warren_webhook_failures_total',
      help: 'Stripe webhook deliveries this process refused or failed (4xx: bad signature or input, 5xx: our fault)',
      labelNames: ['status_code'],
      registers,
    }),
    publicPageCacheHits: new Counter({
      name: 'warren_public_page_cache_hits_total',
      help: 'Anonymous public pages answered from memory, by the route that rendered them (also in warren_http_request_duration_seconds)',
      labelNames: ['route'],
      registers,
    }),
    sseStreams: new Gauge({ name: 'warren_sse_streams_open', help: 'Live signal streams open on this process', registers }),
  };

  // Read from the database at scrape time: site-wide figures, the same on every replica (use max(), not sum()).
  new Gauge({
    name: 'warren_purchases_fulfilled',
    help: 'Purchases recorded (site-wide, from the database)',
    registers,
    async collect() {
      this.set(await db.purchase.count());
    },
  });
  new Gauge({
    name: 'warren_outbox_depth',
    help: 'E-mails waiting in the outbox, by status (site-wide)',
    labelNames: ['status'],
    registers,
    async collect() {
      for (const status of ['pending', 'sending', 'failed']) this.set({ status }, await db.outboxMessage.count({ where: { status } }));
    },
  });
  new Gauge({
    name: 'warren_outbox_oldest_age_seconds',
    help: 'Age of the oldest e-mail not yet sent (0 when the outbox is empty)',
    registers,
    async collect() {
      const oldest = await db.outboxMessage.findFirst({
        where: { status: { in: ['pending', 'sending'] } },
        orderBy: { createdAt: 'asc' },
        select: { createdAt: true },
      });
      this.set(oldest ? Math.max(0, (clock.now().getTime() - oldest.createdAt.getTime()) / 1000) : 0);
    },
  });
  return metrics;
}
