import type { Db } from '../db/database.ts';
import { listAllThesisMeta, type ThesisMeta } from '../catalog/thesis-lookup.repo.ts';
import { purchaseMoneyBetween } from '../checkout/revenue-lines.repo.ts';
import { countMembersSeenSince, firstEntitlementsBetween } from '../admin/desk.repo.ts';
import { countAlertOptOuts, outboxHealthBetween } from '../mail/mail.repo.ts';
import { countSignalUpdatesByThesis, listAlertsBetween } from '../signals/signal-log.repo.ts';
import { countAlertOpens } from './alert-opens.repo.ts';
import { bucketOf, bucketsOf } from './buckets.ts';
import type { DashboardQuery } from './dashboard-query.ts';
import { funnelSteps, type FunnelCounts } from './funnel.ts';
import { revenueByCurrency } from './revenue.ts';
import { funnelCounts } from './thesis-funnel.ts';
import { purchaseSources } from './purchase-sources.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** "Active" members: seen in the last this many days, whatever the chosen period. */
export const ACTIVE_DAYS = 30;

const FUNNEL_KEYS: (keyof FunnelCounts)[] = ['publicViews', 'publicVisitors', 'buyViews', 'buyVisitors', 'checkoutsStarted', 'paid', 'refundedOrDisputed', 'abandoned'];

function sumCounts(all: readonly FunnelCounts[]): FunnelCounts {
  const total = Object.fromEntries(FUNNEL_KEYS.map((key) => [key, 0])) as unknown as FunnelCounts;
  for (const counts of all) for (const key of FUNNEL_KEYS) total[key] += counts[key];
  return total;
}

/**
 * Every number of the dashboard for a period and granularity, as of `now`. Theses are few (a
 * publisher writes a handful a year), so the funnel is counted thesis by thesis and added up.
 */
export async function dashboardNumbers(db: Db, { period, granularity }: DashboardQuery, now: Date) {
  const buckets = bucketsOf(period, granularity);
  const theses = await listAllThesisMeta(db);
  const [perThesis, purchases, sources, firstEntitlements, active, optOuts, mail, signalCounts, alerts] = await Promise.all([
    Promise.all(theses.map((thesis) => funnelCounts(db, thesis.id, period))),
    purchaseMoneyBetween(db, period.from, period.until),
    purchaseSources(db, period),
    firstEntitlementsBetween(db, period.from, period.until),
    countMembersSeenSince(db, new Date(now.getTime() - ACTIVE_DAYS * DAY_MS)),
    countAlertOptOuts(db),
    outboxHealthBetween(db, period.from, period.until),
    countSignalUpdatesByThesis(db, period.from, period.until),
    listAlertsBetween(db, period.from, period.until),
  ]);
  const opens = await countAlertOpens(db, alerts.map((alert) => alert.id));
  const thesisById = new Map<string, ThesisMeta>(theses.map((thesis) => [thesis.id, thesis]));
  const newMembers = buckets.map((bucket) => ({ bucket, count: 0 }));
  for (const moment of firstEntitlements) {
    const row = newMembers.find((entry) => entry.bucket === bucketOf(moment, granularity));
    if (row) row.count += 1;
  }
  return {
    buckets,
    revenue: revenueByCurrency(purchases, buckets, granularity).map((currency) => ({
      ...currency,
      theses: currency.theses.map((row) => ({ ...row, thesis: thesisById.get(row.thesisId)! })),
    })),
    funnel: funnelSteps(sumCounts(perThesis)),
    theses: theses.map((thesis, index) => ({ thesis, counts: perThesis[index] })),
    sources,
    members: { newMembers, newTotal: firstEntitlements.length, active, optOuts },
    mail,
    signals: theses
      .map((thesis) => ({ thesis, ...(signalCounts.find((row) => row.thesisId === thesis.id) ?? { updates: 0, alerts: 0 }) }))
      .filter((row) => row.updates > 0),
    alerts: alerts.map((alert) => ({
      ...alert,
      thesis: thesisById.get(alert.thesisId)!,
      what: alert.kind === 'signal' ? alert.signalTitle : alert.kind === 'section' ? (alert.sectionTitle ?? 'a members\' section') : `position ${alert.positionAction ?? ''}`.trim(),
      openedWithinADay: opens.get(alert.id) ?? 0,
    })),
  };
}

export type DashboardNumbers = Awaited<ReturnType<typeof dashboardNumbers>>;
