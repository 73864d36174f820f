import type { Db } from '../db/database.ts';
import type { SellerConfig } from '../config.ts';
import { paidInTestMode } from '../accounts/account.repo.ts';
import { findReceipt, type ReceiptRow } from './receipts.repo.ts';

/** One tax on a receipt: its name, its rate when known, and whether the price already included it. */
export interface TaxLine {
  name: string;
  ratePercent?: number;
  jurisdiction?: string;
  /** Minor units. */
  amount: number;
  inclusive: boolean;
}

export interface CreditNoteFacts {
  number: string;
  issuedAt: Date;
  /** Minor units refunded, tax included. */
  amount: number;
  /** The tax share of `amount` (pro rata, see issue-documents.ts). */
  taxAmount: number;
}

/**
 * Everything a receipt says, in one plain object: the web page, the PDF and their tests all read
 * this, so they cannot disagree. Amounts in minor units of `currency`.
 * subtotal − discount + the exclusive taxes = total (inclusive taxes are already in the subtotal).
 */
export interface ReceiptFacts {
  number: string;
  issuedAt: Date;
  seller: { legalName: string; address: readonly string[]; gstHstNumber: string; qstNumber?: string };
  buyer: { name?: string; email: string; taxId?: string };
  /** The Stripe invoice Checkout made for this payment (STRIPE_INVOICES), in_… */
  invoiceId?: string;
  description: string;
  currency: string;
  subtotal: number;
  discount: number;
  taxLines: TaxLine[];
  total: number;
  testMode: boolean;
  creditNotes: CreditNoteFacts[];
}

/** Québec sales tax (QST, TVQ in French), by name or by jurisdiction. */
export const isQst = (line: TaxLine) => /\b(QST|TVQ)\b/i.test(line.name) || /^(CA-)?QC$/i.test(line.jurisdiction ?? '');

/**
 * Builds the facts from the stored purchase: each tax Stripe charged with its rate and jurisdiction
 * (PurchaseTaxLine). Where those lines are not known (a purchase from before they were kept, or
 * whose breakdown Stripe has not answered yet), the tax total stands as one line "Sales tax".
 */
export function receiptFactsOf(row: ReceiptRow, seller: SellerConfig, testMode: boolean): ReceiptFacts {
  const { purchase } = row;
  const tax = purchase.taxAmount;
  const inclusivePrice = purchase.taxBehavior === 'inclusive';
  const taxLines: TaxLine[] =
    purchase.taxLines.length > 0
      ? purchase.taxLines.map((line) => ({
          name: line.displayName,
          ratePercent: Number(line.percentage),
          ...(line.jurisdiction && { jurisdiction: line.jurisdiction }),
          amount: line.amount,
          inclusive: line.inclusive,
        }))
      : tax > 0
        ? [{ name: 'Sales tax', amount: tax, inclusive: inclusivePrice }]
        : [];
  // Québec's number is named where Québec's tax was charged (a Québec buyer), as its rules ask.
  const qstNumber = seller.qstNumber && taxLines.some(isQst) ? seller.qstNumber : undefined;
  return {
    number: row.number,
    issuedAt: row.issuedAt,
    seller: { legalName: seller.legalName, address: seller.address, gstHstNumber: seller.gstHstNumber, ...(qstNumber && { qstNumber }) },
    buyer: {
      email: purchase.user.email,
      ...(purchase.buyerName && { name: purchase.buyerName }),
      ...(purchase.buyerTaxId && { taxId: purchase.buyerTaxIdType ? `${purchase.buyerTaxId} (${purchase.buyerTaxIdType})` : purchase.buyerTaxId }),
    },
    ...(purchase.stripeInvoiceId && { invoiceId: purchase.stripeInvoiceId }),
    description: purchase.gift ? `${purchase.thesis.title} (a gift for ${purchase.gift.recipientEmail})` : purchase.thesis.title,
    currency: purchase.currency,
    // Before the discount and any tax added on top (Stripe's amount_subtotal, which holds an inclusive
    // price's tax); purchases from before it was kept had tax added on top.
    subtotal: purchase.subtotalAmount ?? purchase.amount - tax + purchase.discountAmount,
    discount: purchase.discountAmount,
    taxLines,
    total: purchase.amount,
    testMode,
    creditNotes: purchase.creditNotes.map(({ number, issuedAt, amount, taxAmount }) => ({ number, issuedAt, amount, taxAmount })),
  };
}

/** A receipt by number with its owner's id (who may see it), or null when there is none. */
export async function receiptFacts(db: Db, seller: SellerConfig, number: string): Promise<{ facts: ReceiptFacts; ownerId: string } | null> {
  const row = await findReceipt(db, number);
  if (!row) return null;
  const testMode = await paidInTestMode(db, row.purchase.checkoutSessionId);
  return { facts: receiptFactsOf(row, seller, testMode), ownerId: row.purchase.userId };
}
