// `npm run stripe:reconcile [-- --days N]`: after a webhook outage, fulfils what Stripe knows was paid
// (and applies refunds and disputes) for the last N days (default 3). Idempotent; the running site's
// mail worker sends the receipts it queues.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import pino from 'pino';
import { loadConfig } from '../server/config.ts';
import { systemClock } from '../server/clock.ts';
import { openDatabase } from '../server/db/database.ts';
import { createStripeGateway } from '../server/checkout/stripe-gateway.ts';
import { reconcileWithStripe } from '../server/checkout/reconcile.ts';
import { createChangeVersions } from '../server/cache/change-versions.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
const { values } = parseArgs({ options: { days: { type: 'string', default: '3' } } });
const days = Number(values.days);
if (!Number.isFinite(days) || days <= 0 || days > 30) throw new Error('--days must be between 1 and 30 (Stripe keeps events for 30 days)');

const config = loadConfig(process.env);
if (!config.stripe) throw new Error('STRIPE_SECRET_KEY is not set: nothing to reconcile');
const logger = pino({ level: config.logLevel });
const database = await openDatabase(config.databaseUrl);
try {
  const since = new Date(systemClock.now().getTime() - days * 24 * 60 * 60 * 1000);
  const report = await reconcileWithStripe(
    { db: database.prisma, clock: systemClock, logger, adminEmails: config.adminEmails, stripe: createStripeGateway(config.stripe, systemClock) },
    since,
  );
  logger.info(report, `reconciled the last ${days} day(s) with Stripe`);
  // The running site caches who may read what: tell its instances that access may have changed.
  if (report.eventsProcessed + report.sessionsFulfilled > 0) {
    await createChangeVersions({ db: database.prisma, logger, pollMs: 0, onRemoteChange: () => undefined }).bump('access');
  }
} finally {
  await database.close();
}
