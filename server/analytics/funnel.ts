/** The numbers of one thesis's funnel over a period. */
export interface FunnelCounts {
  publicViews: number;
  /** Sum of each day's unique visitors of the public page. */
  publicVisitors: number;
  buyViews: number;
  buyVisitors: number;
  checkoutsStarted: number;
  /** Purchases made in the period that are still paid. */
  paid: number;
  /** Purchases made in the period since refunded or disputed (won, open or lost). */
  refundedOrDisputed: number;
  /** Checkouts started in the period whose session expired unpaid. */
  abandoned: number;
}

export interface FunnelStep {
  /** Stable name, the CSV's first column. */
  key: string;
  label: string;
  count: number;
  /** The step this one is a share of, with the share; absent for counts that are not a step of the funnel. */
  rate?: { of: string; value: number | null };
}

/** count ÷ base, or null when the base is zero (shown "—"). */
export const share = (count: number, base: number): number | null => (base === 0 ? null : count / base);

/** A share as people read it: "66.7%", "100%", and "—" when there was nothing to divide by. */
export function formatRate(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 1000) / 10}%`;
}

/**
 * The funnel from the public page to the sale, each step with its conversion from the one before
 * (unique visitors, not views, are the page steps). Two rows are shares of something else: the
 * refunded or disputed purchases of every purchase made in the period (paid + refunded or disputed),
 * and the abandoned checkouts of the checkouts started.
 */
export function funnelSteps(counts: FunnelCounts): FunnelStep[] {
  const purchases = counts.paid + counts.refundedOrDisputed;
  return [
    { key: 'public_page_views', label: 'Public page views', count: counts.publicViews },
    { key: 'public_page_visitors', label: 'Public page visitors (unique per day)', count: counts.publicVisitors },
    { key: 'buy_page_views', label: 'Buy page views', count: counts.buyViews },
    {
      key: 'buy_page_visitors',
      label: 'Buy page visitors (unique per day)',
      count: counts.buyVisitors,
      rate: { of: 'public page visitors', value: share(counts.buyVisitors, counts.publicVisitors) },
    },
    {
      key: 'checkouts_started',
      label: 'Checkouts started',
      count: counts.checkoutsStarted,
      rate: { of: 'buy page visitors', value: share(counts.checkoutsStarted, counts.buyVisitors) },
    },
    { key: 'paid', label: 'Paid', count: counts.paid, rate: { of: 'checkouts started', value: share(counts.paid, counts.checkoutsStarted) } },
    {
      key: 'refunded_or_disputed',
      label: 'Refunded or disputed',
      count: counts.refundedOrDisputed,
      rate: { of: 'purchases (paid, refunded or disputed)', value: share(counts.refundedOrDisputed, purchases) },
    },
    {
      key: 'checkouts_abandoned',
      label: 'Checkouts abandoned (expired unpaid)',
      count: counts.abandoned,
      rate: { of: 'checkouts started', value: share(counts.abandoned, counts.checkoutsStarted) },
    },
  ];
}

/** The same rows as the page's table, for a spreadsheet. */
export function funnelCsvRows(steps: readonly FunnelStep[]): { header: string[]; rows: unknown[][] } {
  return {
    header: ['step', 'count', 'conversion', 'of'],
    rows: steps.map((step) => [step.key, step.count, step.rate ? formatRate(step.rate.value) : '', step.rate?.of ?? '']),
  };
}
