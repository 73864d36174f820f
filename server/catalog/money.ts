/** "$75 CAD": the amount in en-CA with its currency code, whole dollars without cents. */
export function formatPrice(amountInMinorUnits: number, currency: string): string {
  const code = currency.toUpperCase();
  const formatted = new Intl.NumberFormat('en-CA', {
    style: 'currency',
    currency: code,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: amountInMinorUnits % 100 === 0 ? 0 : 2,
  }).format(amountInMinorUnits / 100);
  return `${formatted} ${code}`;
}
