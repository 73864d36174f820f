import type { Db } from '../db/database.ts';
import type { PurchaseTaxColumns } from './purchases.repo.ts';
import type { CheckoutSessionFacts, TaxBehavior, TaxLineFacts } from './stripe-gateway.ts';

/** What a purchase keeps of the session's tax facts, beside its amount, discount and tax total. */
export function purchaseTaxColumns(facts: CheckoutSessionFacts, taxBehavior: string): PurchaseTaxColumns {
  return {
    subtotalAmount: facts.amountSubtotal,
    taxBehavior,
    taxLinesPending: facts.taxLines === null,
    buyerName: facts.buyerName,
    buyerTaxIdType: facts.buyerTaxId?.type ?? null,
    buyerTaxId: facts.buyerTaxId?.value ?? null,
    stripeInvoiceId: facts.invoiceId,
  };
}

/** A purchase's money as Stripe reported it, in minor units of `currency`: what a receipt shows. */
export interface PurchaseTaxFacts {
  /** Before discounts and tax (for an inclusive price, the price with its tax in it). */
  subtotal: number;
  discount: number;
  /** Each tax, in Stripe's order: an inclusive one is part of the subtotal, an exclusive one is added to it. */
  taxLines: TaxLineFacts[];
  /** Every tax together (inclusive ones too): total_details.amount_tax. */
  tax: number;
  /** What the buyer paid. */
  total: number;
  currency: string;
  taxBehavior: TaxBehavior;
  /** Stripe charged tax whose breakdown is not fetched yet: the lines are missing, `tax` is right. */
  taxLinesPending: boolean;
  buyerName: string | null;
  buyerTaxId: string | null;
  buyerTaxIdType: string | null;
  invoiceId: string | null;
}

/**
 * The tax facts of one purchase, or null when there is no such purchase. A purchase made before
 * subtotals were kept had an exclusive price, so its subtotal is what was paid, plus the discount,
 * less the tax.
 */
export async function purchaseTaxFacts(db: Db, purchaseId: string): Promise<PurchaseTaxFacts | null> {
  const purchase = await db.purchase.findUnique({
    where: { id: purchaseId },
    include: { taxLines: { orderBy: { position: 'asc' } } },
  });
  if (!purchase) return null;
  return {
    subtotal: purchase.subtotalAmount ?? purchase.amount + purchase.discountAmount - purchase.taxAmount,
    discount: purchase.discountAmount,
    taxLines: purchase.taxLines.map((line) => ({
      displayName: line.displayName,
      percentage: line.percentage,
      jurisdiction: line.jurisdiction,
      country: line.country,
      state: line.state,
      inclusive: line.inclusive,
      taxabilityReason: line.taxabilityReason,
      amount: line.amount,
    })),
    tax: purchase.taxAmount,
    total: purchase.amount,
    currency: purchase.currency,
    taxBehavior: purchase.taxBehavior === 'inclusive' ? 'inclusive' : 'exclusive',
    taxLinesPending: purchase.taxLinesPending,
    buyerName: purchase.buyerName,
    buyerTaxId: purchase.buyerTaxId,
    buyerTaxIdType: purchase.buyerTaxIdType,
    invoiceId: purchase.stripeInvoiceId,
  };
}
