import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type Stripe from 'stripe';
import { startWarren, type Warren } from './support/harness.ts';
import { deliver, paidSession } from './support/payments.ts';
import { fulfilInTransaction } from '../server/checkout/fulfilment.ts';
import { checkoutSessionFacts } from '../server/checkout/stripe-gateway.ts';

describe('Receipt numbers: one series without gaps or repeats', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  const numbers = async () => (await warren.db.receipt.findMany({ orderBy: { number: 'asc' }, select: { number: true } })).map((row) => row.number);
  const series = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, n) => `W-${String(from + n).padStart(6, '0')}`);

  it('When ten purchases are fulfilled at the same moment, each in its own transaction, then they hold W-000001 to W-000010, none twice, none skipped', async () => {
    const sessions = await Promise.all(Array.from({ length: 10 }, (_, n) => paidSession(warren, `parallel-${n}@example.com`)));
    // Ten success pages at once: each fulfils its session in a transaction of its own.
    await Promise.all(sessions.map((session) => request(warren.app).get(`/checkout/success?session_id=${session.id}`).expect(200)));
    expect(await warren.db.purchase.count()).toBe(10);
    expect(await numbers()).toEqual(series(1, 10));
    const receipts = await warren.db.receipt.findMany({ select: { purchaseId: true } });
    expect(new Set(receipts.map((receipt) => receipt.purchaseId)).size).toBe(10);
    expect(await warren.db.documentCounter.findUnique({ where: { series: 'receipt' } })).toEqual({ series: 'receipt', next: 11 });
  });

  it('When a fulfilment fails after its receipt was numbered, then its number is not lost: the next purchase takes it', async () => {
    const failed = await paidSession(warren, 'rolled-back@example.com');
    const deps = { db: warren.db, clock: warren.clock, adminEmails: [] };
    const crash = warren.db.$transaction(async (tx) => {
      await fulfilInTransaction(tx, deps, checkoutSessionFacts(failed as unknown as Stripe.Checkout.Session));
      expect(await tx.receipt.count()).toBe(11);
      throw new Error('the database went away before the commit');
    });
    await expect(crash).rejects.toThrow('the database went away');
    expect(await warren.db.purchase.count({ where: { checkoutSessionId: failed.id } })).toBe(0);
    expect(await numbers()).toEqual(series(1, 10));

    const next = await paidSession(warren, 'next@example.com');
    await request(warren.app).get(`/checkout/success?session_id=${next.id}`).expect(200);
    // The failed one is fulfilled again (as Stripe's retry would) and continues the series.
    await request(warren.app).get(`/checkout/success?session_id=${failed.id}`).expect(200);
    expect(await numbers()).toEqual(series(1, 12));
    const byPurchase = await warren.db.receipt.findMany({ where: { number: { in: ['W-000011', 'W-000012'] } }, select: { number: true, purchase: { select: { checkoutSessionId: true } } } });
    expect(byPurchase.map((row) => [row.number, row.purchase.checkoutSessionId]).sort()).toEqual([
      ['W-000011', next.id],
      ['W-000012', failed.id],
    ]);
  });

  it('When a burst of webhooks is fulfilled together in one batch, then the batch takes a block of consecutive numbers', async () => {
    const sessions = await Promise.all(Array.from({ length: 5 }, (_, n) => paidSession(warren, `burst-${n}@example.com`)));
    await Promise.all(sessions.map((session) => deliver(warren, 'checkout.session.completed', session).expect(200)));
    expect(await numbers()).toEqual(series(1, 17));
    const burst = await warren.db.receipt.findMany({ where: { purchase: { checkoutSessionId: { in: sessions.map((session) => session.id) } } } });
    expect(burst.map((row) => row.number).sort()).toEqual(series(13, 17));
  });
});
