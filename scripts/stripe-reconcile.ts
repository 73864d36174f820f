// `npm run stripe:reconcile [-- --days N]`: after a webhook outage, fulfils what Stripe knows was paid
// (and applies refunds and disputes) for the last N days (default 3). Idempotent; the running site's
// mail worker sends the receipts it queues.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import pino from 'pino';
import { loadConfig } from '../server/config.ts';
import { buildDeps } from '../server/deps.ts';
import { reconcileWithStripe } from '../server/checkout/reconcile.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
const { values } = parseArgs({ options: { days: { type: 'string', default: '3' } } });
const days = Number(values.days);
if (!Number.isFinite(days) || days <= 0 || days > 30) throw new Error('--days must be between 1 and 30 (Stripe keeps events for 30 days)');

const config = loadConfig(process.env);
// Without keys, buildDeps would start test payments: a local API of this process's own, empty, is not Stripe.
if (!config.stripe) throw new Error('STRIPE_SECRET_KEY is not set: nothing to reconcile');
const { deps, close } = await buildDeps(config, { logger: pino({ level: config.logLevel }) });
try {
  const { stripe, clock, logger } = deps;
  if (!stripe) throw new Error('STRIPE_SECRET_KEY is not set: nothing to reconcile');
  const since = new Date(clock.now().getTime() - days * 24 * 60 * 60 * 1000);
  let report: Awaited<ReturnType<typeof reconcileWithStripe>> | undefined;
  try {
    report = await reconcileWithStripe({ ...deps, adminEmails: config.adminEmails, stripe }, since);
    logger.info(report, `reconciled the last ${days} day(s) with Stripe`);
  } finally {
    // The running site caches who may read what: its instances hear of it on their next poll. Also
    // after a failure midway: what was applied before it (a refund, a dispute) has committed.
    if (!report || report.eventsProcessed + report.sessionsFulfilled > 0) await deps.access.accessChanged();
  }
} finally {
  await close();
}
