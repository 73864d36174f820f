import type { Db } from '../db/database.ts';
import { countCheckoutOutcomes } from '../checkout/checkout-outcomes.repo.ts';
import { findThesisMetaBySlug, type ThesisMeta } from '../catalog/thesis-lookup.repo.ts';
import { funnelSteps, type FunnelCounts, type FunnelStep } from './funnel.ts';
import { sumPageViews } from './page-views.repo.ts';
import { periodEnding, type Period, type PeriodDays } from './period.ts';

export interface ThesisFunnel {
  thesis: ThesisMeta;
  period: Period;
  steps: FunnelStep[];
}

/**
 * A thesis's funnel over the last `days` UTC days up to `now`, or null when no thesis has that slug
 * (drafts included). Views come from what the counter has written: the last few seconds' are not in it.
 */
export async function thesisFunnel(db: Db, slug: string, days: PeriodDays, now: Date): Promise<ThesisFunnel | null> {
  const thesis = await findThesisMetaBySlug(db, slug);
  if (!thesis) return null;
  const period = periodEnding(now, days);
  return { thesis, period, steps: funnelSteps(await funnelCounts(db, thesis.id, period)) };
}

/** One thesis's counts over a period (the dashboard adds them up across theses). */
export async function funnelCounts(db: Db, thesisId: string, period: Period): Promise<FunnelCounts> {
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
