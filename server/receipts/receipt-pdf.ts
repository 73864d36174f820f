import { createRequire } from 'node:module';
import path from 'node:path';
import type { ReceiptFacts } from './receipt-facts.ts';
import { receiptLines, type Row } from './receipt-lines.ts';

// DejaVu Sans, embedded (subset) in every receipt: PDF's standard fonts are not embedded, so a
// reader without them substitutes one, and they lack "−" and accented names outside Latin-1.
const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = path.join(fontDir, 'DejaVuSans.ttf');
const BOLD = path.join(fontDir, 'DejaVuSans-Bold.ttf');

const MARGIN = 54;
const GREY = '#555555';

/** The receipt as a PDF (US Letter, text selectable): the same lines as the web receipt. */
export async function renderReceiptPdf(facts: ReceiptFacts): Promise<Buffer> {
  // Loaded on the first PDF asked for, not at start-up: pdfkit and its font engine cost an idle
  // process about 20 MB that most instances never use (bench/RESULTS.md, idle RSS).
  const { default: PDFDocument } = await import('pdfkit');
  const lines = receiptLines(facts);
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    font: REGULAR,
    // Dated by the receipt, not by the moment it is drawn: the same receipt gives the same facts.
    info: { Title: lines.title, Author: facts.seller.legalName, Subject: facts.description, CreationDate: facts.issuedAt },
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  doc.font('bold').fontSize(18).text(lines.title);
  doc.moveDown(0.5);
  if (lines.testMode) doc.font('bold').fontSize(10).fillColor('#8a4b00').text(lines.testMode).fillColor('black').moveDown(0.5);
  doc.font('bold').fontSize(11).text(lines.seller[0]!);
  doc.font('regular').fontSize(10);
  for (const line of lines.seller.slice(1)) doc.text(line);
  doc.moveDown();
  table(doc, lines.details, width);
  doc.moveDown();
  doc.font('bold').fontSize(11).text('Description');
  doc.font('regular').fontSize(10).text(lines.description);
  doc.moveDown();
  table(doc, lines.amounts, width, { boldLast: true });
  if (lines.inclusiveNote) doc.moveDown(0.5).font('regular').fontSize(10).text(lines.inclusiveNote);
  if (lines.creditNotes.length > 0) {
    doc.moveDown().font('bold').fontSize(11).text('Credit notes');
    doc.font('regular').fontSize(10);
    for (const note of lines.creditNotes) doc.text(note.text);
  }
  doc.end();
  return done;
}

/** Label and value rows: the label on the left, the value right-aligned on the same line. */
function table(doc: PDFKit.PDFDocument, rows: readonly Row[], width: number, options: { boldLast?: boolean } = {}): void {
  rows.forEach((row, n) => {
    const bold = options.boldLast && n === rows.length - 1;
    const y = doc.y;
    doc.font(bold ? 'bold' : 'regular').fontSize(10).fillColor(bold ? 'black' : GREY).text(row.label, MARGIN, y, { width: width / 2 });
    const labelBottom = doc.y;
    doc.fillColor('black').text(row.value, MARGIN + width / 2, y, { width: width / 2, align: 'right' });
    doc.y = Math.max(labelBottom, doc.y);
    doc.x = MARGIN;
  });
}
