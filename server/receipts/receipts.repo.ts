import type { Db, Tx } from '../db/database.ts';

/** The receipt rows of purchases just made, in one statement. */
export async function insertReceipts(tx: Tx, receipts: readonly { number: string; purchaseId: string }[], issuedAt: Date): Promise<void> {
  if (receipts.length === 0) return;
  await tx.receipt.createMany({ data: receipts.map((receipt) => ({ ...receipt, issuedAt })) });
}

/** What a receipt shows, read in one query (plus the attempt's mode: accounts' `paidInTestMode`). */
export function findReceipt(db: Db, number: string) {
  return db.receipt.findUnique({
    where: { number },
    select: {
      number: true,
      issuedAt: true,
      purchase: {
        select: {
          id: true,
          userId: true,
          amount: true,
          currency: true,
          discountAmount: true,
          taxAmount: true,
          subtotalAmount: true,
          taxBehavior: true,
          buyerName: true,
          buyerTaxIdType: true,
          buyerTaxId: true,
          stripeInvoiceId: true,
          checkoutSessionId: true,
          user: { select: { email: true } },
          thesis: { select: { title: true } },
          taxLines: { orderBy: { position: 'asc' }, select: { displayName: true, percentage: true, jurisdiction: true, inclusive: true, amount: true } },
          gift: { select: { recipientEmail: true } },
          creditNotes: {
            orderBy: [{ issuedAt: 'asc' }, { number: 'asc' }],
            select: { number: true, issuedAt: true, amount: true, taxAmount: true, currency: true },
          },
        },
      },
    },
  });
}
export type ReceiptRow = NonNullable<Awaited<ReturnType<typeof findReceipt>>>;

/** What a credit note needs of its purchase, and what earlier credit notes took, inside the refund's transaction. */
export async function creditBasis(tx: Tx, purchaseId: string) {
  const purchase = await tx.purchase.findUnique({ where: { id: purchaseId }, select: { id: true, amount: true, taxAmount: true, currency: true } });
  const credited = await tx.creditNote.aggregate({ where: { purchaseId }, _sum: { amount: true } });
  return purchase && { ...purchase, creditedBefore: credited._sum.amount ?? 0 };
}

export function findCreditNoteForRefund(tx: Tx, stripeRefundId: string) {
  return tx.creditNote.findUnique({ where: { stripeRefundId }, select: { number: true } });
}

export interface NewCreditNote {
  number: string;
  purchaseId: string;
  stripeRefundId: string;
  amount: number;
  taxAmount: number;
  currency: string;
}

export async function insertCreditNote(tx: Tx, note: NewCreditNote, issuedAt: Date): Promise<void> {
  await tx.creditNote.create({ data: { ...note, issuedAt } });
}
