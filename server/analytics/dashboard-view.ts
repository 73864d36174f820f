import { sourceRowsForView } from './purchase-sources.ts';
import { formatPrice } from '../http/money.ts';
import { GRANULARITIES, type Granularity } from './buckets.ts';
import type { DashboardNumbers } from './dashboard.ts';
import { bucketLabel } from './dashboard-tables.ts';
import { DASHBOARD_TABLES, type DashboardQuery } from './dashboard-query.ts';
import { formatRate, share } from './funnel.ts';
import { PERIOD_DAYS } from './period.ts';
import { MONEY_COLUMNS, type Money } from './revenue.ts';
import { barChartSvg } from './svg-chart.ts';

/** Under a bar: "12-02" for a day or a week's Monday, "2026-12" for a month. */
const shortLabel = (bucket: string, granularity: Granularity) => (granularity === 'month' ? bucket : bucket.slice(5));

/** The funnel chart's bars, with names short enough to sit under a bar on a phone. */
const FUNNEL_BARS = [
  ['public_page_visitors', 'Visitors'],
  ['buy_page_visitors', 'Buy page'],
  ['checkouts_started', 'Checkouts'],
  ['paid', 'Paid'],
  ['refunded_or_disputed', 'Refunded'],
] as const;

const MONEY_LABELS: Record<(typeof MONEY_COLUMNS)[number], string> = {
  gross: 'Gross',
  discounts: 'Discounts',
  tax: 'Tax collected',
  refunds: 'Refunds',
  disputes: 'Disputes',
  net: 'Net',
};

/** What the dashboard template reads: every number formatted, every chart drawn. */
export function dashboardView(numbers: DashboardNumbers, { period, granularity }: DashboardQuery) {
  const query = (table: string) => `/admin/analytics.csv?table=${table}&period=${period.days}&granularity=${granularity}`;
  const range = `${period.fromDay} to ${period.toDay}`;
  const money = (value: Money, currency: string) => MONEY_COLUMNS.map((column) => formatPrice(value[column], currency));
  return {
    period,
    granularity,
    periods: PERIOD_DAYS.map((days) => ({ days, current: days === period.days })),
    granularities: GRANULARITIES.map((value) => ({ value, current: value === granularity })),
    csv: Object.fromEntries(DASHBOARD_TABLES.map((table) => [table, query(table)])),
    sources: sourceRowsForView(numbers.sources),
    moneyHeaders: MONEY_COLUMNS.map((column) => MONEY_LABELS[column]),
    revenue: numbers.revenue.map((currency) => {
      const code = currency.currency.toUpperCase();
      return {
        code,
        chart: barChartSvg(
          {
            title: `Net revenue in ${code} by ${granularity}, ${range}`,
            description: `A bar for each ${granularity}; the table "Revenue in ${code}" below has the same numbers and every other column.`,
            bars: currency.buckets.map((row) => ({ label: shortLabel(row.bucket, granularity), value: row.money.net })),
            format: (value) => formatPrice(value, currency.currency),
          },
          `chart-revenue-${currency.currency}`,
        ),
        buckets: currency.buckets.map((row) => ({ label: bucketLabel(row.bucket, granularity), purchases: row.purchases, cells: money(row.money, currency.currency) })),
        theses: currency.theses.map((row) => ({ thesis: row.thesis, purchases: row.purchases, cells: money(row.money, currency.currency) })),
        total: { purchases: currency.purchases, cells: money(currency.total, currency.currency) },
      };
    }),
    funnel: numbers.funnel.map((step) => ({ ...step, rateText: step.rate && formatRate(step.rate.value) })),
    funnelChart: barChartSvg(
      {
        title: `Funnel across all theses, ${range}`,
        description: 'A bar for each step from public page visitors to paid; the funnel table below has the same numbers and the conversion of each step.',
        bars: FUNNEL_BARS.map(([key, label]) => ({ label, value: numbers.funnel.find((step) => step.key === key)?.count ?? 0 })),
      },
      'chart-funnel',
    ),
    theses: numbers.theses.map(({ thesis, counts }) => ({ thesis, counts, paidRate: formatRate(share(counts.paid, counts.publicVisitors)) })),
    members: {
      ...numbers.members,
      newMembers: numbers.members.newMembers.map((row) => ({ ...row, label: bucketLabel(row.bucket, granularity) })),
      chart: barChartSvg(
        {
          title: `New members by ${granularity}, ${range}`,
          description: `A bar for each ${granularity}; the table "New members" below has the same numbers.`,
          bars: numbers.members.newMembers.map((row) => ({ label: shortLabel(row.bucket, granularity), value: row.count })),
        },
        'chart-members',
      ),
    },
    mail: numbers.mail,
    signals: numbers.signals,
    alerts: numbers.alerts.map((alert) => ({ ...alert, recordedIso: alert.recordedAt.toISOString(), recordedDay: alert.recordedAt.toISOString().slice(0, 16).replace('T', ' ') })),
  };
}
