import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pino from 'pino';
import { systemClock } from '../server/clock.ts';
import { reconcileWithStripe } from '../server/checkout/reconcile.ts';
import { createStripeGateway } from '../server/checkout/stripe-gateway.ts';
import { DEMO_SLUG, WEBHOOK_SECRET, startWarren, type Warren } from './support/harness.ts';
import { deliver, paidSession, standing } from './support/payments.ts';

describe('Reconciling with Stripe after a webhook outage', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  const reconcile = () =>
    reconcileWithStripe(
      { db: warren.db, clock: warren.clock, logger: pino({ level: 'silent' }), adminEmails: [], stripe: createStripeGateway(warren.config.stripe!, warren.clock) },
      new Date(warren.clock.now().getTime() - 24 * 60 * 60 * 1000),
    );

  it('When paid sessions and a refund were never delivered, then reconcile fulfils and revokes as the webhooks would have, once', async () => {
    const missed = await paidSession(warren, 'missed@example.com');
    warren.stripe.event('checkout.session.completed', missed);
    const refunded = await paidSession(warren, 'missed-refund@example.com');
    warren.stripe.event('checkout.session.completed', refunded);
    warren.stripe.event('charge.refunded', warren.stripe.charge(refunded, 'full'));
    // Paid, but even its event is missing: the sessions list still shows it paid.
    await paidSession(warren, 'no-event@example.com');
    const delivered = await paidSession(warren, 'delivered@example.com');
    await deliver(warren, 'checkout.session.completed', delivered).expect(200);

    const first = await reconcile();
    expect(first).toEqual({ eventsProcessed: 3, eventsAlreadyRecorded: 1, sessionsFulfilled: 1, duplicatesRefunded: 0, taxLinesFilled: 0 });
    expect(await standing(warren, 'missed@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
    expect(await standing(warren, 'missed-refund@example.com')).toEqual({ entitlement: 'revoked', purchases: ['refunded'] });
    expect(await standing(warren, 'no-event@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
    expect(await standing(warren, 'delivered@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });

    const second = await reconcile();
    expect(second).toEqual({ eventsProcessed: 0, eventsAlreadyRecorded: 4, sessionsFulfilled: 0, duplicatesRefunded: 0, taxLinesFilled: 0 });
    expect(await warren.db.purchase.count()).toBe(4);
    await warren.deliverMail();
    for (const email of ['missed@example.com', 'no-event@example.com', 'delivered@example.com']) expect(warren.inbox.to(email)).toHaveLength(1);
  });

  it('When `npm run stripe:reconcile` runs as a command, then it fulfils a missed payment through the same code, and the running site sees it', async () => {
    const session = await paidSession(warren, 'script@example.com');
    // The command runs on the system clock and lists the sessions Stripe created in the last day by it.
    session.created = Math.floor(systemClock.now().getTime() / 1000);
    // The site already holds "no access" for this reader in its cache.
    const reader = await warren.db.user.create({ data: { email: 'script@example.com', createdAt: warren.clock.now() } });
    const thesis = await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG }, select: { id: true } });
    await warren.deps.changes.poll();
    expect(await warren.deps.access.canRead({ userId: reader.id }, thesis.id)).toBe(false);
    const databaseUrl = warren.database.schema ? `${warren.database.url}?schema=${warren.database.schema}` : warren.database.url;
    await promisify(execFile)('npx', ['tsx', 'scripts/stripe-reconcile.ts', '--days', '1'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: databaseUrl,
        STRIPE_SECRET_KEY: 'sk_test_warren',
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_BASE: warren.stripe.url,
        DEMO_CONTENT: 'false',
      },
    });
    expect(await standing(warren, 'script@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
    await warren.deps.changes.poll();
    expect(await warren.deps.access.canRead({ userId: reader.id }, thesis.id)).toBe(true);
  });

  it('When `npm run stripe:reconcile` runs without Stripe keys (development, where test payments would start), then it refuses and changes nothing', async () => {
    const databaseUrl = warren.database.schema ? `${warren.database.url}?schema=${warren.database.schema}` : warren.database.url;
    const environment: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, DEMO_CONTENT: 'false' };
    for (const key of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_API_BASE', 'TEST_PAYMENTS']) delete environment[key];
    const purchases = await warren.db.purchase.count();
    for (const NODE_ENV of ['development', 'test']) {
      const run = promisify(execFile)('npx', ['tsx', 'scripts/stripe-reconcile.ts', '--days', '1'], { env: { ...environment, NODE_ENV } });
      // A local API of its own, just started and empty, is not Stripe: "reconciled, nothing to do" would be a lie.
      await expect(run, NODE_ENV).rejects.toMatchObject({ stderr: expect.stringContaining('STRIPE_SECRET_KEY is not set') });
    }
    expect(await warren.db.purchase.count()).toBe(purchases);
  }, 60_000);
});
