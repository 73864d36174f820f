import { describe, expect, it } from 'vitest';
import type { ReceiptFacts } from '../server/receipts/receipt-facts.ts';
import { receiptLines } from '../server/receipts/receipt-lines.ts';
import { renderReceiptPdf } from '../server/receipts/receipt-pdf.ts';
import { readPdf } from './support/receipt-pdf.ts';

/** A Québec buyer's receipt: GST and QST included in the price, a discount, a credit note. */
const quebec: ReceiptFacts = {
  number: 'W-000042',
  issuedAt: new Date('2026-11-26T12:00:00Z'),
  seller: { legalName: 'Rabbit Hole Research Inc.', address: ['1 King St W', 'Toronto ON  M5H 1A1'], gstHstNumber: '123456789 RT0001', qstNumber: '1234567890 TQ0001' },
  buyer: { name: 'Élodie Côté', email: 'elodie@example.com', taxId: '1234567890 TQ0009' },
  description: 'The Decode Singularity',
  currency: 'cad',
  subtotal: 7500,
  discount: 1500,
  taxLines: [
    { name: 'GST', ratePercent: 5, jurisdiction: 'CA', amount: 261, inclusive: true },
    { name: 'QST', ratePercent: 9.975, jurisdiction: 'QC', amount: 520, inclusive: true },
  ],
  total: 6000,
  testMode: false,
  creditNotes: [{ number: 'C-000007', issuedAt: new Date('2026-11-28T09:00:00Z'), amount: 2000, taxAmount: 260 }],
};

describe('The receipt document: the same facts in the words of the page and of the PDF', () => {
  it('When the price included GST and QST, then each tax shows with its rate, the receipt says the total includes them, and the QST number is named', () => {
    const lines = receiptLines(quebec);
    expect(lines.seller).toContain('GST/HST registration no. 123456789 RT0001');
    expect(lines.seller).toContain('QST registration no. 1234567890 TQ0001');
    expect(lines.details).toContainEqual({ label: 'Billed to', value: 'Élodie Côté (elodie@example.com)' });
    expect(lines.details).toContainEqual({ label: 'Buyer tax id', value: '1234567890 TQ0009' });
    expect(lines.amounts).toEqual([
      { label: 'Subtotal', value: '$75.00 CAD' },
      { label: 'Discount', value: '−$15.00 CAD' },
      { label: 'GST (5 %), CA, included', value: '$2.61 CAD' },
      { label: 'QST (9.975 %), QC, included', value: '$5.20 CAD' },
      { label: 'Total (CAD)', value: '$60.00 CAD' },
    ]);
    expect(lines.inclusiveNote).toBe('The total includes GST/HST and QST of $7.81 CAD.');
    expect(lines.creditNotes[0]!.text).toBe('Credit note C-000007, November 28, 2026: refunded $20.00 CAD, of which tax $2.60 CAD, against receipt W-000042.');
    expect(lines.testMode).toBeNull();
  });

  it('When the receipt is drawn as a PDF, then its text holds every line of the page, accents included, in embedded fonts', async () => {
    const lines = receiptLines(quebec);
    const { text, fonts } = readPdf(await renderReceiptPdf(quebec));
    for (const line of [...lines.seller, lines.description, lines.inclusiveNote!, lines.creditNotes[0]!.text]) {
      expect(text).toContain(line.replace(/\s+/g, ' '));
    }
    for (const row of [...lines.details, ...lines.amounts]) expect(text).toContain(`${row.label} ${row.value}`);
    expect(fonts).toContain('DejaVuSans-Bold');
    expect(fonts).not.toMatch(/ no +no /);
  });
});
