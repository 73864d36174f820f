import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadConfig, ConfigError } from './config.ts';
import { systemClock } from './clock.ts';
import { openDatabase } from './db/database.ts';
import { createApp } from './app.ts';
import { createStripeGateway } from './checkout/stripe-gateway.ts';
import { startDuplicateRefundWorker } from './checkout/duplicate-refunds.ts';
import { seedDemoContentIfEmpty } from './catalog/demo-seed.ts';
import { createMailDelivery } from './mail/mail-delivery.ts';
import { createLogger } from './ops/logger.ts';
import { createMetrics } from './ops/metrics.ts';
import { createReadinessCheck } from './ops/readiness.ts';
import { createShutdownHooks } from './ops/shutdown.ts';
import { drainOnSignal } from './ops/graceful-shutdown.ts';
import { createAppCaches } from './cache/app-caches.ts';
import { createFrontServer } from './http/front-server.ts';
import { observeEarlyHits } from './ops/early-hits.ts';

async function main(): Promise<void> {
  // A local .env is a convenience for development; real deployments set the environment.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger(config.logLevel);
  const clock = systemClock;

  const database = await openDatabase(config.databaseUrl, { countQueries: config.env === 'development' });
  if (config.demoContent && (await seedDemoContentIfEmpty(database.prisma, clock.now()))) {
    logger.info('demo thesis inserted into the empty database');
  }

  const mail = createMailDelivery(config, { db: database.prisma, dbKind: database.kind, clock, logger });
  const outbox = mail.worker;
  outbox.start();
  if (!config.stripe) logger.warn('STRIPE_SECRET_KEY is not set: the site runs, but nothing can be bought');
  if (!config.smtpUrl) logger.info(`SMTP_URL is not set: mail is written to ${config.mailDir}/ and shown at ${config.appUrl}/dev/mail`);

  const stripe = config.stripe ? createStripeGateway(config.stripe, clock) : null;
  // Payments for a thesis the buyer already had are given back through the Stripe API.
  const duplicateRefunds = stripe ? startDuplicateRefundWorker({ db: database.prisma, clock, logger, stripe }) : null;

  const shutdown = createShutdownHooks();
  const caches = createAppCaches({ db: database.prisma, clock, logger });
  caches.start();
  const metrics = createMetrics({ db: database.prisma, clock });
  const app = createApp({
    config,
    db: database.prisma,
    clock,
    logger,
    stripe,
    mailQueued: () => outbox.kick(),
    caches,
    rateLimitCounters: database.kind === 'postgres' ? 'database' : 'memory',
    ops: {
      metrics,
      shutdown,
      readiness: createReadinessCheck({ database, mailWorkerRunning: () => outbox.isRunning(), shutdown }),
    },
  });
  // Anonymous public pages cached in memory are answered before Express (see server/http/front-server.ts).
  const server = createFrontServer(app, caches.publicPages, config.http, observeEarlyHits(logger, metrics)).listen(config.port, () => {
    const { port } = server.address() as AddressInfo;
    logger.info({ port }, `Warren is listening on ${config.appUrl}`);
  });

  const drain = drainOnSignal({
    server,
    logger,
    hooks: shutdown,
    background: [
      { name: 'outbox worker', close: () => mail.worker.stop() },
      ...(duplicateRefunds ? [{ name: 'duplicate refund worker', close: () => duplicateRefunds.stop() }] : []),
    ],
    resources: [
      { name: 'cache invalidation poller', close: () => caches.stop() },
      { name: 'mail transport', close: () => mail.close() },
      { name: 'database', close: () => database.close() },
    ],
  });
  process.on('SIGTERM', () => void drain('SIGTERM'));
  process.on('SIGINT', () => void drain('SIGINT'));
}

await main();
