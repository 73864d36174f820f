import type { Db } from '../db/database.ts';
import type { BuyerSource } from '../checkout/checkout-attempts.ts';
import { findSourcedPurchases } from '../checkout/purchase-sources.repo.ts';
import { formatPrice } from '../http/money.ts';

/** One source's purchases in a period: "Where buyers come from". */
export interface PurchaseSourceRow {
  /** What the publisher reads first: utm_source, else ref, else the referrer, else "Direct or unknown". */
  label: string;
  referrerDomain: string | null;
  utmSource: string | null;
  utmCampaign: string | null;
  ref: string | null;
  /** Purchases made in the period that are still paid. */
  purchases: number;
  /** Purchases made in the period since refunded in full or disputed: shown apart, no revenue. */
  refundedOrDisputed: number;
  /** What the paid ones brought, net of the admin's partial refunds, per currency (minor units), by currency code. */
  revenue: { currency: string; amount: number }[];
}

export const DIRECT = 'Direct or unknown';

const labelOf = (source: BuyerSource) => source.utmSource ?? source.ref ?? source.referrer ?? DIRECT;

/**
 * Purchases made in [period.from, period.until) grouped by where their buyers came from (the source
 * kept with each checkout attempt, analytics/first-touch.ts), of one thesis or, without `thesisId`,
 * of all. Rows with the most paid purchases first, then the most refunded, then by label.
 */
export async function purchaseSources(db: Db, period: { from: Date; until: Date }, thesisId?: string): Promise<PurchaseSourceRow[]> {
  const rows = new Map<string, PurchaseSourceRow>();
  for (const purchase of await findSourcedPurchases(db, period.from, period.until, thesisId)) {
    const { source } = purchase;
    const key = JSON.stringify([source.referrer, source.utmSource, source.utmCampaign, source.ref]);
    let row = rows.get(key);
    if (!row) {
      row = { label: labelOf(source), referrerDomain: source.referrer, utmSource: source.utmSource, utmCampaign: source.utmCampaign, ref: source.ref, purchases: 0, refundedOrDisputed: 0, revenue: [] };
      rows.set(key, row);
    }
    if (purchase.status !== 'paid') {
      row.refundedOrDisputed++;
      continue;
    }
    row.purchases++;
    const currency = purchase.currency.toLowerCase();
    const total = row.revenue.find((entry) => entry.currency === currency);
    if (total) total.amount += purchase.amount - purchase.refunded;
    else row.revenue.push({ currency, amount: purchase.amount - purchase.refunded });
  }
  for (const row of rows.values()) row.revenue.sort((a, b) => a.currency.localeCompare(b.currency));
  return [...rows.values()].sort(
    (a, b) => b.purchases - a.purchases || b.refundedOrDisputed - a.refundedOrDisputed || a.label.localeCompare(b.label) || a.ref?.localeCompare(b.ref ?? '') || 0,
  );
}

/** "$75 CAD", or "$75 CAD + $50 USD": never summed across currencies; "—" for none. */
export const revenueText = (row: PurchaseSourceRow): string =>
  row.revenue.length === 0 ? '—' : row.revenue.map((entry) => formatPrice(entry.amount, entry.currency)).join(' + ');

/** "utm_source newsletter · utm_campaign december": every value of the row, named as in the address. */
export const sourceDetails = (row: PurchaseSourceRow): string =>
  (
    [
      ['referrer', row.referrerDomain],
      ['utm_source', row.utmSource],
      ['utm_campaign', row.utmCampaign],
      ['ref', row.ref],
    ] as const
  )
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `${name} ${value}`)
    .join(' · ');

/** The rows as the "Where buyers come from" table shows them (partials/buyer-sources.hbs). */
export const sourceRowsForView = (rows: readonly PurchaseSourceRow[]) => rows.map((row) => ({ ...row, details: sourceDetails(row), revenueText: revenueText(row) }));

/** The same rows as the page's table, for a spreadsheet: revenue per currency in major units ("75.00"). */
export function purchaseSourcesCsvRows(rows: readonly PurchaseSourceRow[]): { header: string[]; rows: unknown[][] } {
  const currencies = [...new Set(rows.flatMap((row) => row.revenue.map((entry) => entry.currency)))].sort();
  return {
    header: ['source', 'referrer', 'utm_source', 'utm_campaign', 'ref', 'paid', 'refunded_or_disputed', ...currencies.map((code) => `revenue_${code}`)],
    rows: rows.map((row) => [
      row.label,
      row.referrerDomain,
      row.utmSource,
      row.utmCampaign,
      row.ref,
      row.purchases,
      row.refundedOrDisputed,
      ...currencies.map((code) => ((row.revenue.find((entry) => entry.currency === code)?.amount ?? 0) / 100).toFixed(2)),
    ]),
  };
}
