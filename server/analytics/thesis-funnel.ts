import type { Db } from '../db/database.ts';
import { countCheckoutOutcomes } from '../checkout/checkout-outcomes.repo.ts';
import type { FunnelCounts } from './funnel.ts';
import { sumPageViews } from './page-views.repo.ts';
import type { Period } from './period.ts';

/**
 * A thesis's funnel over a period, from what the view counter wrote (counts not yet flushed, a few
 * seconds' worth, are not in it) and from its checkouts and purchases.
 */
export async function thesisFunnelCounts(db: Db, thesisId: string, period: Period): Promise<FunnelCounts> {
  const [views, checkouts] = await Promise.all([
    sumPageViews(db, thesisId, period.fromDay, period.toDay),
    countCheckoutOutcomes(db, thesisId, period.from, period.until),
  ]);
  const { paid = 0, ...otherStatuses } = checkouts.purchasesByStatus;
  return {
    publicViews: views.thesis.views,
    publicVisitors: views.thesis.visitors,
    buyViews: views.buy.views,
    buyVisitors: views.buy.visitors,
    checkoutsStarted: checkouts.started,
    paid,
    refundedOrDisputed: Object.values(otherStatuses).reduce((sum, count) => sum + count, 0),
    abandoned: checkouts.expired,
  };
}
