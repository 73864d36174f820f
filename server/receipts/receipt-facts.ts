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
 * Builds the facts from the stored purchase. Stripe Tax's total (`taxAmount`, added on top of the
 * price: Checkout sends `tax_behavior: exclusive`) is for now one line "Sales tax" without a rate;
 * per-jurisdiction lines with rates replace it where the purchase has them.
 */
export function receiptFactsOf(row: ReceiptRow, seller: SellerConfig, testMode: boolean): ReceiptFacts {
  const { purchase } = row;
  const tax = purchase.taxAmount;
  const taxLines: TaxLine[] = tax > 0 ? [{ name: 'Sales tax', amount: tax, inclusive: false }] : [];
  // Québec's number is named where Québec's tax was charged (a Québec buyer), as its rules ask.
  const qstNumber = seller.qstNumber && taxLines.some(isQst) ? seller.qstNumber : undefined;
  return {
    number: row.number,
    issuedAt: row.issuedAt,
    seller: { legalName: seller.legalName, address: seller.address, gstHstNumber: seller.gstHstNumber, ...(qstNumber && { qstNumber }) },
    buyer: { email: purchase.user.email },
    description: purchase.thesis.title,
    currency: purchase.currency,
    // Before the discount and the tax (Stripe's amount_subtotal): what the thesis costs.
    subtotal: purchase.amount - tax + purchase.discountAmount,
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
