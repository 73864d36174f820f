import type { Db } from '../db/database.ts';

/** One purchase's money as stored, for the revenue table (analytics/revenue.ts does the arithmetic). */
export interface PurchaseMoney {
  thesisId: string;
  currency: string;
  createdAt: Date;
  /** What the buyer was charged, tax included, after any discount (minor units). */
  amount: number;
  discountAmount: number;
  taxAmount: number;
  /** paid | refunded | disputed | dispute_lost */
  status: string;
  /** What the admin's succeeded refunds gave back (a partial refund leaves the purchase paid). */
  adminRefunded: number;
}

/** Every purchase made in [from, until), with its admin refunds that succeeded. */
export async function purchaseMoneyBetween(db: Db, from: Date, until: Date): Promise<PurchaseMoney[]> {
  const rows = await db.purchase.findMany({
    where: { createdAt: { gte: from, lt: until } },
    select: {
      thesisId: true,
      currency: true,
      createdAt: true,
      amount: true,
      discountAmount: true,
      taxAmount: true,
      status: true,
      adminRefunds: { where: { status: 'succeeded' }, select: { amount: true } },
    },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map(({ adminRefunds, ...row }) => ({ ...row, adminRefunded: adminRefunds.reduce((sum, refund) => sum + refund.amount, 0) }));
}
