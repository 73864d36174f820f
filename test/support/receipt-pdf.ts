import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A binary body as a Buffer (supertest parses only text and JSON by itself). */
export function binary(res: NodeJS.ReadableStream, done: (error: Error | null, body: unknown) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** What poppler reads from a PDF: its text (one space for any run of blanks) and its fonts table. */
export function readPdf(pdf: Buffer): { text: string; fonts: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'warren-pdf-'));
  try {
    const file = path.join(dir, 'receipt.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    return { text: text.replace(/\s+/g, ' '), fonts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
