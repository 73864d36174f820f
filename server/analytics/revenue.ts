import type { PurchaseMoney } from '../checkout/revenue-lines.repo.ts';
import { bucketOf, type Granularity } from './buckets.ts';

/** The revenue columns, in minor units of one currency (README: "Revenue columns"). */
export interface Money {
  gross: number;
  discounts: number;
  tax: number;
  refunds: number;
  disputes: number;
  net: number;
}

export const MONEY_COLUMNS = ['gross', 'discounts', 'tax', 'refunds', 'disputes', 'net'] as const;

const zero = (): Money => ({ gross: 0, discounts: 0, tax: 0, refunds: 0, disputes: 0, net: 0 });

/**
 * One purchase's columns. A full refund gives back all of it, tax included; an open or lost dispute
 * takes what was not already refunded; the admin's partial refunds leave a purchase paid and are
 * taken off here. Tax is what is still held: none once the whole payment went back.
 */
export function moneyOf(purchase: PurchaseMoney): Money {
  const refunds = purchase.status === 'refunded' ? purchase.amount : Math.min(purchase.adminRefunded, purchase.amount);
  const disputes = purchase.status === 'disputed' || purchase.status === 'dispute_lost' ? purchase.amount - refunds : 0;
  const tax = refunds + disputes >= purchase.amount ? 0 : purchase.taxAmount;
  return { gross: purchase.amount, discounts: purchase.discountAmount, tax, refunds, disputes, net: purchase.amount - tax - refunds - disputes };
}

const emptyBuckets = (buckets: readonly string[]) => buckets.map((bucket) => ({ bucket, money: zero(), purchases: 0 }));

function add(into: Money, money: Money): void {
  for (const column of MONEY_COLUMNS) into[column] += money[column];
}

export interface CurrencyRevenue {
  /** Lower case, as Stripe writes it. */
  currency: string;
  /** One row per bucket of the period, in order, zeros included. */
  buckets: { bucket: string; money: Money; purchases: number }[];
  total: Money;
  purchases: number;
  /** Per thesis over the whole period, in the order first sold, and per bucket (zeros included). */
  theses: { thesisId: string; money: Money; purchases: number; buckets: { bucket: string; money: Money; purchases: number }[] }[];
}

/**
 * Revenue per currency (never added across currencies), then per bucket and per thesis. Every
 * column is dated by the purchase: a refund in December of a November sale is November's.
 */
export function revenueByCurrency(purchases: readonly PurchaseMoney[], buckets: readonly string[], granularity: Granularity): CurrencyRevenue[] {
  const byCurrency = new Map<string, CurrencyRevenue>();
  for (const purchase of purchases) {
    let revenue = byCurrency.get(purchase.currency);
    if (!revenue) {
      revenue = { currency: purchase.currency, buckets: emptyBuckets(buckets), total: zero(), purchases: 0, theses: [] };
      byCurrency.set(purchase.currency, revenue);
    }
    const money = moneyOf(purchase);
    const name = bucketOf(purchase.createdAt, granularity);
    let thesis = revenue.theses.find((row) => row.thesisId === purchase.thesisId);
    if (!thesis) revenue.theses.push((thesis = { thesisId: purchase.thesisId, money: zero(), purchases: 0, buckets: emptyBuckets(buckets) }));
    for (const bucket of [revenue.buckets.find((row) => row.bucket === name), thesis.buckets.find((row) => row.bucket === name)]) {
      if (!bucket) continue;
      add(bucket.money, money);
      bucket.purchases += 1;
    }
    add(thesis.money, money);
    thesis.purchases += 1;
    add(revenue.total, money);
    revenue.purchases += 1;
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
