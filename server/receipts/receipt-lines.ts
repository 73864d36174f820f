import { formatDay } from '../http/dates.ts';
import type { ReceiptFacts, TaxLine } from './receipt-facts.ts';

/** Minor units with cents and the currency code: "$75.00 CAD" (receipts always show cents). */
export function money(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  return `${new Intl.NumberFormat('en-CA', { style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' }).format(amount / 100)} ${code}`;
}

const rate = (line: TaxLine) => (line.ratePercent === undefined ? '' : ` (${line.ratePercent} %)`);
const GST_HST = /\b(GST|HST|TPS|TVH)\b/i;

export interface Row {
  label: string;
  value: string;
}

/**
 * A receipt's text, in the words both the web page and the PDF print: the same facts as the same
 * strings, so a test can hold one against the other.
 */
export function receiptLines(facts: ReceiptFacts) {
  const amount = (value: number) => money(value, facts.currency);
  const inclusive = facts.taxLines.filter((line) => line.inclusive);
  const inclusiveTotal = inclusive.reduce((sum, line) => sum + line.amount, 0);
  const includedNames = [...new Set(inclusive.map((line) => (GST_HST.test(line.name) ? 'GST/HST' : line.name)))].join(' and ');
  return {
    title: `Receipt ${facts.number}`,
    seller: [
      facts.seller.legalName,
      ...facts.seller.address,
      ...(facts.seller.gstHstNumber ? [`GST/HST registration no. ${facts.seller.gstHstNumber}`] : []),
      ...(facts.seller.qstNumber ? [`QST registration no. ${facts.seller.qstNumber}`] : []),
    ],
    details: [
      { label: 'Receipt number', value: facts.number },
      { label: 'Date issued', value: formatDay(facts.issuedAt) },
      { label: 'Billed to', value: facts.buyer.name ? `${facts.buyer.name} (${facts.buyer.email})` : facts.buyer.email },
      ...(facts.buyer.taxId ? [{ label: 'Buyer tax id', value: facts.buyer.taxId }] : []),
    ] satisfies Row[],
    description: facts.description,
    amounts: [
      { label: 'Subtotal', value: amount(facts.subtotal) },
      ...(facts.discount > 0 ? [{ label: 'Discount', value: `−${amount(facts.discount)}` }] : []),
      ...facts.taxLines.map((line) => ({ label: `${line.name}${rate(line)}${line.jurisdiction ? `, ${line.jurisdiction}` : ''}${line.inclusive ? ', included' : ''}`, value: amount(line.amount) })),
      ...(facts.taxLines.length === 0 ? [{ label: 'Tax', value: amount(0) }] : []),
      { label: `Total (${facts.currency.toUpperCase()})`, value: amount(facts.total) },
    ] satisfies Row[],
    inclusiveNote: inclusive.length > 0 ? `The total includes ${includedNames} of ${amount(inclusiveTotal)}.` : null,
    testMode: facts.testMode ? 'Test purchase: made with Stripe test keys. No money was taken.' : null,
    creditNotes: facts.creditNotes.map((note) => ({
      number: note.number,
      date: formatDay(note.issuedAt),
      amount: amount(note.amount),
      tax: amount(note.taxAmount),
      text: `Credit note ${note.number}, ${formatDay(note.issuedAt)}: refunded ${amount(note.amount)}, of which tax ${amount(note.taxAmount)}, against receipt ${facts.number}.`,
    })),
  };
}
export type ReceiptLines = ReturnType<typeof receiptLines>;
