import type { Db } from '../db/database.ts';

/**
 * Paid sales since a moment, per currency. Only 'paid': a refunded, disputed or lost purchase is no
 * longer revenue, whatever it was when it was made.
 */
export function paidSalesSince(db: Db, since: Date) {
  return db.purchase.groupBy({
    by: ['currency'],
    where: { status: 'paid', createdAt: { gte: since } },
    _count: { _all: true },
    _sum: { amount: true },
    orderBy: { currency: 'asc' },
  });
}

/**
 * What the admin refunded of paid sales made since a moment, per currency: a partial refund leaves a
 * purchase 'paid', so its refunded part is taken off the revenue here (a full one ends 'paid').
 */
export function partRefundsSince(db: Db, since: Date) {
  return db.adminRefund.groupBy({
    by: ['currency'],
    where: { status: 'succeeded', purchase: { status: 'paid', createdAt: { gte: since } } },
    _sum: { amount: true },
  });
}

/** People with at least one entitlement, whatever its state: everyone who ever bought or was given a thesis. */
export function countMembers(db: Db): Promise<number> {
  return db.user.count({ where: { entitlements: { some: {} } } });
}
