import type { Db } from '../db/database.ts';
import { formatPrice } from '../http/money.ts';
import { outboxCounts } from '../mail/mail.repo.ts';
import { latestSignalUpdateAt } from '../signals/signal-log.repo.ts';
import { countMembers, paidSalesSince, partRefundsSince } from './desk.repo.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

async function salesOver(db: Db, days: number, now: Date) {
  const since = new Date(now.getTime() - days * DAY_MS);
  const [groups, refunds] = await Promise.all([paidSalesSince(db, since), partRefundsSince(db, since)]);
  const refunded = (currency: string) => refunds.find((group) => group.currency === currency)?._sum.amount ?? 0;
  return {
    days,
    count: groups.reduce((sum, group) => sum + group._count._all, 0),
    // Net of partial refunds. Never summed across currencies: 75 CAD and 50 USD are not 125 of anything.
    revenue: groups.map((group) => formatPrice((group._sum.amount ?? 0) - refunded(group.currency), group.currency)),
  };
}

/** The numbers the publisher reads first on /admin, all from the database as of `now`. */
export async function deskNumbers(db: Db, now: Date) {
  const [week, month, members, mail, lastUpdate] = await Promise.all([
    salesOver(db, 7, now),
    salesOver(db, 30, now),
    countMembers(db),
    outboxCounts(db),
    latestSignalUpdateAt(db),
  ]);
  return {
    sales: [week, month],
    members,
    failedMail: mail.failed,
    daysSinceLastUpdate: lastUpdate ? Math.floor((now.getTime() - lastUpdate.getTime()) / DAY_MS) : null,
  };
}
