import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../server/db/generated/sqlite/client.ts';
import { PrismaClient as PostgresPrismaClient } from '../server/db/generated/postgres/client.ts';
import { adapterFor } from '../server/db/adapter.ts';
import type { Db } from '../server/db/database.ts';
import { WEBHOOK_SECRET, postWebhook, startInstance, startWarren, type Warren } from './support/harness.ts';
import { paidSession, standing } from './support/payments.ts';

/** A client for a database that cannot be reached: a closed port, or a SQLite file in a missing folder. */
function unreachableDatabase(kind: 'sqlite' | 'postgres'): Db {
  if (kind === 'sqlite') return new PrismaClient({ adapter: adapterFor('file:/nonexistent-warren-dir/down.db').factory as never });
  return new PostgresPrismaClient({ adapter: adapterFor('postgresql://postgres@127.0.0.1:1/test').factory as never }) as unknown as Db;
}

describe('A webhook while the database is down', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  it('When the database cannot be reached, then 5xx (Stripe retries); the redelivery succeeds and nothing is lost', async () => {
    const session = await paidSession(warren, 'outage@example.com');
    const signed = warren.stripe.signedEvent('checkout.session.completed', session, WEBHOOK_SECRET);
    const down = unreachableDatabase(warren.database.kind);
    const { app: appWithoutDatabase } = await startInstance(warren, { database: { ...warren.database, prisma: down } });
    const failed = await postWebhook({ ...warren, app: appWithoutDatabase }, signed);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    await down.$disconnect().catch(() => undefined);

    await postWebhook(warren, signed).expect(200);
    expect(await standing(warren, 'outage@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
    await warren.deliverMail();
    expect(warren.inbox.to('outage@example.com')).toHaveLength(1);
  });

  it('When the database fails midway through an event, then nothing of it is kept and the redelivery does all of it', async () => {
    const session = await paidSession(warren, 'midway@example.com');
    const signed = warren.stripe.signedEvent('checkout.session.completed', session, WEBHOOK_SECRET);
    // The event row is written first; the purchase insert then fails, as a dropped connection would make it.
    const table = warren.database.schema ? `"${warren.database.schema}"."Purchase"` : '"Purchase"';
    await warren.db.$executeRawUnsafe(`ALTER TABLE ${table} RENAME TO "Purchase_offline"`);
    const renamedBack = warren.database.schema ? `"${warren.database.schema}"."Purchase_offline"` : '"Purchase_offline"';
    try {
      const failed = await postWebhook(warren, signed);
      expect(failed.status).toBeGreaterThanOrEqual(500);
    } finally {
      await warren.db.$executeRawUnsafe(`ALTER TABLE ${renamedBack} RENAME TO "Purchase"`);
    }
    expect(await warren.db.stripeEvent.count({ where: { id: signed.event.id } })).toBe(0);
    expect(await warren.db.outboxMessage.count({ where: { dedupeKey: `receipt:${session.id}` } })).toBe(0);

    await postWebhook(warren, signed).expect(200);
    expect(await standing(warren, 'midway@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
    expect(await warren.db.stripeEvent.count({ where: { id: signed.event.id } })).toBe(1);
  });
});
