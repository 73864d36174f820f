import type { Db, Tx } from '../db/database.ts';

/** Refunds that count against what is left to refund: made, or being made. */
const COUNTED = { in: ['pending', 'succeeded'] };

/** What the admin's refunds of a purchase, made or being made, add up to. */
export async function adminRefundedAmount(db: Db | Tx, purchaseId: string): Promise<number> {
  const { _sum } = await db.adminRefund.aggregate({ where: { purchaseId, status: COUNTED }, _sum: { amount: true } });
  return _sum.amount ?? 0;
}

/** Whether the admin's refunds (made or being made) take the whole purchase: then they, not the webhook, tell the member. */
export async function adminRefundsCover(db: Db | Tx, purchase: { id: string; amount: number }): Promise<boolean> {
  return (await adminRefundedAmount(db, purchase.id)) >= purchase.amount;
}

/** A member's purchase as a refund needs it; null when it is not theirs. */
export function findRefundablePurchase(db: Db | Tx, userId: string, purchaseId: string) {
  return db.purchase.findFirst({
    where: { id: purchaseId, userId },
    select: {
      id: true,
      userId: true,
      amount: true,
      currency: true,
      status: true,
      paymentIntentId: true,
      createdAt: true,
      user: { select: { email: true } },
      thesis: { select: { title: true, slug: true } },
    },
  });
}

export type RefundablePurchase = NonNullable<Awaited<ReturnType<typeof findRefundablePurchase>>>;

export function findAdminRefund(db: Db | Tx, id: string) {
  return db.adminRefund.findUnique({ where: { id } });
}

/** Each purchase's refunds by an admin, oldest first, for the member's page. */
export function adminRefundsOf(db: Db, purchaseIds: readonly string[]) {
  return db.adminRefund.findMany({
    where: { purchaseId: { in: [...purchaseIds] } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, purchaseId: true, amount: true, currency: true, reason: true, note: true, requestedBy: true, status: true, stripeRefundId: true, error: true, createdAt: true },
  });
}

export interface NewAdminRefund {
  id: string;
  purchaseId: string;
  amount: number;
  currency: string;
  reason: string;
  note: string;
  requestedBy: string;
}

/** Written before Stripe is called; `pendingKey` (unique) holds the purchase until it is settled. */
export function insertAdminRefund(tx: Tx, refund: NewAdminRefund, now: Date) {
  return tx.adminRefund.create({ data: { ...refund, status: 'pending', pendingKey: refund.purchaseId, createdAt: now, updatedAt: now } });
}

/** Settles a pending refund (only a pending one: a row is settled once); false when it was not pending. */
export async function settleAdminRefund(
  db: Db | Tx,
  id: string,
  outcome: { status: 'succeeded'; stripeRefundId: string } | { status: 'failed'; error: string },
  now: Date,
): Promise<boolean> {
  const { count } = await db.adminRefund.updateMany({ where: { id, status: 'pending' }, data: { ...outcome, pendingKey: null, updatedAt: now } });
  return count === 1;
}
