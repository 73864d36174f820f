/** Formatters by currency and by whether cents show: building one costs far more than using it. */
const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(code: string, withCents: boolean): Intl.NumberFormat {
  const key = `${code}:${withCents}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-CA', {
      style: 'currency',
      currency: code,
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: withCents ? 2 : 0,
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** "$75 CAD": the amount in en-CA with its currency code, whole dollars without cents. */
export function formatPrice(amountInMinorUnits: number, currency: string): string {
  const code = currency.toUpperCase();
  return `${formatterFor(code, amountInMinorUnits % 100 !== 0).format(amountInMinorUnits / 100)} ${code}`;
}
