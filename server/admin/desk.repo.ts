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

/**
 * New members: people whose first entitlement (bought or granted) was made in [from, until), with
 * that moment. Someone who had one before is not new when they buy a second thesis.
 */
export async function firstEntitlementsBetween(db: Db, from: Date, until: Date): Promise<Date[]> {
  const groups = await db.entitlement.groupBy({
    by: ['userId'],
    _min: { createdAt: true },
    having: { createdAt: { _min: { gte: from, lt: until } } },
  });
  return groups.map((group) => group._min.createdAt!);
}

/**
 * Members seen since a moment: any signed-in request (a page, opening the live signal stream)
 * passes the session check, which writes the session's lastSeenAt at most every 5 minutes.
 */
export function countMembersSeenSince(db: Db, since: Date): Promise<number> {
  return db.user.count({ where: { entitlements: { some: {} }, sessions: { some: { lastSeenAt: { gte: since } } } } });
}
