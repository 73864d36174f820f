import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { createChangeBus } from './cache/change-bus.ts';
import type { Platform } from './ops/platform.ts';
import type { AppDeps } from './app.ts';
import { createLogger } from './ops/logger.ts';
import { createMetrics } from './ops/metrics.ts';
import { createReadinessCheck } from './ops/readiness.ts';
import { createShutdownHooks, type ShutdownRunner } from './ops/shutdown.ts';
import type { Closable } from './ops/graceful-shutdown.ts';
import { createMailDelivery, type MailDelivery } from './mail/mail-delivery.ts';
import { createSessionCaches } from './accounts/session-caches.ts';
import { mailSignIns } from './accounts/mail-sign-ins.ts';
import { alertAudience } from './access/alert-audience.ts';
import { createAccessCache } from './access/access-cache.ts';
import { createCatalogCaches } from './catalog/catalog-caches.ts';
import { createThesisWrites } from './publishing/thesis-writes.ts';
import { createSitePages } from './pages/site-pages.ts';
import { RECORD_HOOKS } from './signals/record-hooks.ts';
import { createStripeGateway } from './checkout/stripe-gateway.ts';
import { startDuplicateRefundWorker } from './checkout/duplicate-refunds.ts';
import { startGiftDeliveryWorker } from './checkout/gift-worker.ts';
import { startTestPayments } from './dev/test-payments/test-payments.ts';
import { createViewCounter } from './analytics/view-counter.ts';
import { createAlertOpens } from './analytics/alert-opens.ts';

/** What a process (server, script, test, benchmark) holds once built. */
export interface Built {
  deps: AppDeps;
  database: Database;
  mail: MailDelivery;
  /** The features' shutdown hooks, as a SIGTERM runs them. */
  shutdown: ShutdownRunner;
  /** Starts the mail worker, the duplicate-refund and gift delivery workers, the change poll and the page view writes; hands back how to stop them. */
  startBackground(): Closable[];
  /** What buildDeps opened, in the order to close it (after the background work has stopped). */
  resources: Closable[];
  /** Closes the resources (for scripts and tests; main.ts drains them on a signal instead). */
  close(): Promise<void>;
}

/** What a test or tool may supply instead of what the configuration says. */
export interface DepsOverrides {
  clock?: Clock;
  logger?: Logger;
  /** An open database (closed by its owner, not by close()). */
  database?: Database;
  /** Tests drive the mail worker by hand: no kick after a request, and readiness counts it as running. */
  mailDrivenByHand?: boolean;
}

export type { AppDeps };

/** What mail delivery needs from features above it (mail may not import them); tests building extra workers use it too. */
export function mailFeatureServices(db: Database['prisma'], config: Readonly<Config>) {
  return { signIns: mailSignIns(db, config.adminEmails), alertAudience: alertAudience(db) };
}

/**
 * The composition root: the one place that wires. main.ts, the scripts, the benchmark (through
 * main.ts) and the test harness all build through it, so what runs in tests is what runs in production.
 */
export async function buildDeps(configured: Readonly<Config>, overrides: DepsOverrides = {}): Promise<Built> {
  const logger = overrides.logger ?? createLogger(configured.logLevel);
  const clock = overrides.clock ?? systemClock;
  const testPayments = configured.testPayments
    ? await startTestPayments({ env: configured.env, clock, webhookUrl: `${configured.appUrl}/webhooks/stripe` })
    : null;
  // In test-payment mode the site holds the local API's keys as its Stripe configuration: checkout,
  // webhooks and the CSP's form targets run exactly as with real keys.
  const config = testPayments ? Object.freeze({ ...configured, stripe: testPayments.stripe }) : configured;
  const database = overrides.database ?? (await openDatabase(config.databaseUrl, { countQueries: config.env === 'development' }));
  const db = database.prisma;
  const mail = createMailDelivery(config, { db, dbKind: database.kind, clock, logger, ...mailFeatureServices(db, config) });
  const changes = createChangeBus({ db, logger });
  const shutdown = createShutdownHooks();
  const mailWorkerRunning = overrides.mailDrivenByHand ? () => true : () => mail.worker.isRunning();
  const platform: Platform = {
    config,
    db,
    dbKind: database.kind,
    clock,
    logger,
    changes,
    ops: { metrics: createMetrics({ db, clock }), shutdown, readiness: createReadinessCheck({ database, mailWorkerRunning, shutdown }) },
    mailQueued: overrides.mailDrivenByHand ? () => undefined : () => mail.worker.kick(),
    rateLimitCounters: database.kind === 'postgres' ? 'database' : 'memory',
  };
  const catalog = createCatalogCaches({ clock, changes });
  const deps: AppDeps = {
    ...platform,
    stripe: config.stripe ? createStripeGateway(config.stripe, clock) : null,
    sessions: createSessionCaches({ clock, changes }),
    access: createAccessCache({ db, clock, changes }),
    catalog,
    // Members' section edits of a published thesis go on its record (signals), in the save's transaction;
    // a thesis with a record keeps it public (no unpublishing).
    thesisWrites: createThesisWrites(db, catalog, RECORD_HOOKS),
    sitePages: createSitePages({ db, clock, config, catalog, changes }),
    testPayments,
    pageViews: createViewCounter({ db, clock, logger, trustProxy: config.trustProxy, flushEveryMs: config.pageViewFlushMs, appUrl: config.appUrl }),
    alertOpens: createAlertOpens({ db, clock, logger }),
  };
  const resources: Closable[] = [
    // First, once the requests have drained and while the database is open: the counts not yet written.
    { name: 'page view counts', close: () => deps.pageViews.flush() },
    { name: 'cache invalidation poller', close: () => changes.stop() },
    { name: 'mail transport', close: () => mail.close() },
    ...(overrides.database ? [] : [{ name: 'database', close: () => database.close() }]),
    ...(testPayments ? [{ name: 'test payments API', close: () => testPayments.close() }] : []),
  ];
  return {
    deps,
    database,
    mail,
    shutdown,
    startBackground() {
      mail.worker.start();
      changes.start();
      deps.pageViews.start();
      // Payments for a thesis the buyer already had are given back through the Stripe API.
      const refunds = deps.stripe && startDuplicateRefundWorker({ db, clock, logger, stripe: deps.stripe });
      // Gifts dated later than their payment are delivered on their date.
      const gifts = startGiftDeliveryWorker({ db, clock, logger, accessChanged: (ids) => deps.access.accessChanged(ids), mailQueued: platform.mailQueued });
      return [
        { name: 'gift delivery worker', close: () => gifts.stop() },
        { name: 'outbox worker', close: () => mail.worker.stop() },
        { name: 'page view flushes', close: () => deps.pageViews.stop() },
        ...(refunds ? [{ name: 'duplicate refund worker', close: () => refunds.stop() }] : []),
      ];
    },
    resources,
    async close() {
      for (const resource of resources) await resource.close();
    },
  };
}
