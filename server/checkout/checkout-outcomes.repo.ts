import type { Db } from '../db/database.ts';

/** What became of a thesis's checkouts started in [from, until), and of its purchases made then. */
export interface CheckoutOutcomes {
  /** Checkout attempts created (the buyer confirmed the three statements and went to pay). */
  started: number;
  /** Of those, the ones whose Checkout Session expired unpaid (checkout.session.expired). */
  expired: number;
  /** Purchases made in the period, by their status now: paid | refunded | disputed | dispute_lost. */
  purchasesByStatus: Record<string, number>;
}

export async function countCheckoutOutcomes(db: Db, thesisId: string, from: Date, until: Date): Promise<CheckoutOutcomes> {
  const createdAt = { gte: from, lt: until };
  const [attempts, purchases] = await Promise.all([
    db.checkoutAttempt.groupBy({ by: ['status'], where: { thesisId, createdAt }, _count: { _all: true } }),
    db.purchase.groupBy({ by: ['status'], where: { thesisId, createdAt }, _count: { _all: true } }),
  ]);
  return {
    started: attempts.reduce((sum, row) => sum + row._count._all, 0),
    expired: attempts.find((row) => row.status === 'expired')?._count._all ?? 0,
    purchasesByStatus: Object.fromEntries(purchases.map((row) => [row.status, row._count._all])),
  };
}
