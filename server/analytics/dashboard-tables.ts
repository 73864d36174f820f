import { formatRate, funnelCsvRows } from './funnel.ts';
import { purchaseSourcesCsvRows } from './purchase-sources.ts';
import type { Granularity } from './buckets.ts';
import type { DashboardNumbers } from './dashboard.ts';
import type { DashboardTable } from './dashboard-query.ts';
import { MONEY_COLUMNS, type Money } from './revenue.ts';

/** Minor units as a spreadsheet reads them: 7550 → "75.50" (the currency is its own column). */
export const decimal = (minor: number): string => (minor / 100).toFixed(2);

/** A bucket's name as a person reads it in a table: "2026-12-02", "week of 2026-11-30", "2026-12". */
export function bucketLabel(bucket: string, granularity: Granularity): string {
  return granularity === 'week' ? `week of ${bucket}` : bucket;
}

const moneyCells = (money: Money) => MONEY_COLUMNS.map((column) => decimal(money[column]));

/** Each dashboard table as CSV rows: the same numbers the page shows, money in decimal units. */
export function dashboardCsv(table: DashboardTable, numbers: DashboardNumbers): { header: string[]; rows: unknown[][] } {
  switch (table) {
    case 'revenue':
      return {
        // Each currency: every bucket for all theses, then each thesis by bucket and over the period, then the total.
        header: ['currency', 'bucket', 'thesis', 'purchases', ...MONEY_COLUMNS],
        rows: numbers.revenue.flatMap((currency) => [
          ...currency.buckets.map((row) => [currency.currency, row.bucket, 'all', row.purchases, ...moneyCells(row.money)]),
          ...currency.theses.flatMap((thesis) => [
            ...thesis.buckets.map((row) => [currency.currency, row.bucket, thesis.thesis.slug, row.purchases, ...moneyCells(row.money)]),
            [currency.currency, 'period', thesis.thesis.slug, thesis.purchases, ...moneyCells(thesis.money)],
          ]),
          [currency.currency, 'period', 'all', currency.purchases, ...moneyCells(currency.total)],
        ]),
      };
    case 'funnel':
      return funnelCsvRows(numbers.funnel);
    case 'theses':
      return {
        header: ['thesis', 'public_page_views', 'public_page_visitors', 'buy_page_visitors', 'checkouts_started', 'paid', 'refunded_or_disputed', 'checkouts_abandoned', 'paid_per_visitor'],
        rows: numbers.theses.map(({ thesis, counts }) => [
          thesis.slug,
          counts.publicViews,
          counts.publicVisitors,
          counts.buyVisitors,
          counts.checkoutsStarted,
          counts.paid,
          counts.refundedOrDisputed,
          counts.abandoned,
          formatRate(counts.publicVisitors === 0 ? null : counts.paid / counts.publicVisitors),
        ]),
      };
    case 'sources':
      return purchaseSourcesCsvRows(numbers.sources);
    case 'members':
      return {
        header: ['measure', 'bucket', 'count'],
        rows: [
          ...numbers.members.newMembers.map((row) => ['new_members', row.bucket, row.count]),
          ['new_members', 'period', numbers.members.newTotal],
          ['active_last_30_days', 'now', numbers.members.active],
          ['opted_out_of_all_alerts', 'now', numbers.members.optOuts.allAlerts],
          ['opted_out_of_a_thesis_alerts', 'now', numbers.members.optOuts.thesisAlerts],
        ],
      };
    case 'mail':
      return {
        header: ['measure', 'count'],
        rows: Object.entries(numbers.mail),
      };
    case 'signals':
      return {
        header: ['thesis', 'signal_updates', 'alerts'],
        rows: numbers.signals.map((row) => [row.thesis.slug, row.updates, row.alerts]),
      };
    case 'alerts':
      return {
        header: ['recorded_at', 'thesis', 'sequence', 'kind', 'what', 'members_opened_within_a_day'],
        rows: numbers.alerts.map((alert) => [alert.recordedAt, alert.thesis.slug, alert.sequence, alert.kind, alert.what, alert.openedWithinADay]),
      };
  }
}
