import { randomUUID } from 'node:crypto';
import { Prisma, type Tx } from '../db/database.ts';
import type { TaxLineFacts } from './stripe-gateway.ts';

export interface NewPurchase {
  checkoutSessionId: string;
  userId: string;
  thesisId: string;
  amount: number;
  discountAmount: number;
  promotionCode: string | null;
  taxAmount: number;
  currency: string;
  paymentIntentId: string | null;
  status: string;
  createdAt: Date;
  /** The offer the session was made with (its attempt's), if any. */
  offerId: string | null;
  /** The tax facts Stripe reported (see purchase-tax-facts.ts). */
  tax: PurchaseTaxColumns;
}

export interface PurchaseTaxColumns {
  subtotalAmount: number | null;
  taxBehavior: string;
  /** Stripe charged tax but its breakdown is not known yet (reconcile fills it). */
  taxLinesPending: boolean;
  buyerName: string | null;
  buyerTaxIdType: string | null;
  buyerTaxId: string | null;
  stripeInvoiceId: string | null;
}

/**
 * Inserts the purchases of several Checkout Sessions in one statement and returns their ids, in the
 * same order. Raw SQL at a fraction of Prisma creates' cost (every fulfilment runs it); the ids are
 * v4 uuids as Prisma's default. A second purchase of the same session or payment intent fails on
 * their unique keys (P2002/P2010), and the whole statement with it.
 */
export async function insertPurchases(tx: Tx, purchases: readonly NewPurchase[]): Promise<{ id: string; userId: string; thesisId: string }[]> {
  if (purchases.length === 0) return [];
  const inserted = purchases.map((purchase) => ({ id: randomUUID(), userId: purchase.userId, thesisId: purchase.thesisId }));
  const rows = purchases.map(
    (purchase, n) => Prisma.sql`(${inserted[n]!.id}, ${purchase.checkoutSessionId}, ${purchase.userId}, ${purchase.thesisId}, ${purchase.amount},
      ${purchase.discountAmount}, ${purchase.promotionCode}, ${purchase.taxAmount}, ${purchase.currency}, ${purchase.paymentIntentId}, ${purchase.status}, ${purchase.createdAt}, ${purchase.offerId},
      ${purchase.tax.subtotalAmount}, ${purchase.tax.taxBehavior}, ${purchase.tax.taxLinesPending}, ${purchase.tax.buyerName}, ${purchase.tax.buyerTaxIdType},
      ${purchase.tax.buyerTaxId}, ${purchase.tax.stripeInvoiceId})`,
  );
  await tx.$executeRaw`
    INSERT INTO "Purchase" ("id", "checkoutSessionId", "userId", "thesisId", "amount", "discountAmount", "promotionCode", "taxAmount", "currency", "paymentIntentId", "status", "createdAt", "offerId",
      "subtotalAmount", "taxBehavior", "taxLinesPending", "buyerName", "buyerTaxIdType", "buyerTaxId", "stripeInvoiceId")
    VALUES ${Prisma.join(rows)}`;
  return inserted;
}

/** Each tax of each purchase, in one statement (none: nothing to write). */
export async function insertPurchaseTaxLines(tx: Tx, purchases: readonly { purchaseId: string; lines: readonly TaxLineFacts[] }[]): Promise<void> {
  const rows = purchases.flatMap(({ purchaseId, lines }) =>
    lines.map(
      (line, position) => Prisma.sql`(${randomUUID()}, ${purchaseId}, ${position}, ${line.displayName}, ${line.percentage}, ${line.jurisdiction},
        ${line.country}, ${line.state}, ${line.inclusive}, ${line.taxabilityReason}, ${line.amount})`,
    ),
  );
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "PurchaseTaxLine" ("id", "purchaseId", "position", "displayName", "percentage", "jurisdiction", "country", "state", "inclusive", "taxabilityReason", "amount")
    VALUES ${Prisma.join(rows)}`;
}
