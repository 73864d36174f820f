import type { Tx } from '../db/database.ts';
import { SERIES, takeNumbers } from './document-numbers.ts';
import { creditBasis, findCreditNoteForRefund, insertCreditNote, insertReceipts } from './receipts.repo.ts';

/**
 * Numbers the receipts of purchases being fulfilled, in the fulfilment's transaction and in the
 * order given: a fulfilment that rolls back returns its numbers with it. Returns them in that order.
 */
export async function issueReceipts(tx: Tx, purchaseIds: readonly string[], now: Date): Promise<string[]> {
  const numbers = await takeNumbers(tx, SERIES.receipt, purchaseIds.length);
  await insertReceipts(tx, purchaseIds.map((purchaseId, n) => ({ number: numbers[n]!, purchaseId })), now);
  return numbers;
}

/**
 * The tax share of a refund: pro rata of the purchase's tax, counted on the running total refunded so
 * that the shares of several partial refunds add up to the whole tax once everything is refunded.
 * share = round(T × (before + amount) / paid) − round(T × before / paid), halves rounded up (cents).
 */
export function refundTaxShare(paid: number, tax: number, before: number, amount: number): number {
  if (paid <= 0 || tax <= 0) return 0;
  const upTo = (refunded: number) => Math.round((tax * Math.min(refunded, paid)) / paid);
  return upTo(before + amount) - upTo(before);
}

export interface RefundToCredit {
  purchaseId: string;
  stripeRefundId: string;
  /** Minor units refunded, tax included. */
  amount: number;
}

/**
 * A credit note for one Stripe refund, added to the purchase's receipt, once per refund id whichever
 * of the admin's request and Stripe's webhook records it first. The caller holds the payment's lock
 * (so two of them queue); a lost race still ends on the unique key and the transaction is retried.
 * Returns the credit note's number, or null when this refund already has one.
 */
export async function issueCreditNote(tx: Tx, refund: RefundToCredit, now: Date): Promise<string | null> {
  if (refund.amount <= 0 || (await findCreditNoteForRefund(tx, refund.stripeRefundId))) return null;
  const basis = await creditBasis(tx, refund.purchaseId);
  if (!basis) return null;
  const [number] = await takeNumbers(tx, SERIES.creditNote, 1);
  const taxAmount = refundTaxShare(basis.amount, basis.taxAmount, basis.creditedBefore, refund.amount);
  await insertCreditNote(tx, { number: number!, purchaseId: basis.id, stripeRefundId: refund.stripeRefundId, amount: refund.amount, taxAmount, currency: basis.currency }, now);
  return number!;
}
