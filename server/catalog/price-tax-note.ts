/**
 * How a price reads about sales tax, the same on every page that shows it to buyers. Without Stripe
 * Tax nothing is added, so the price is what is charged and there is nothing to say. With it, an
 * exclusive price gets the buyer's province's tax on top; an inclusive one already holds it.
 */
export function priceTaxNote(taxBehavior: string, automaticTax: boolean): string | null {
  if (!automaticTax) return null;
  return taxBehavior === 'inclusive' ? 'tax included' : 'plus applicable tax';
}
