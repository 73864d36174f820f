/**
 * One CSV field: quoted, quotes doubled, and a leading = + - @ (or tab/CR) defused with an
 * apostrophe, so a spreadsheet opening the export never runs a formula a buyer typed (CSV injection).
 */
export function csvField(value: unknown): string {
  let text = value instanceof Date ? value.toISOString() : value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
