// One way to write dates on every page, so a live signal update reads exactly like the same update
// after a reload. Always UTC: the record's times are the server's. Built once: formatters are slow to make.
const dayFormat = new Intl.DateTimeFormat('en-CA', { dateStyle: 'long', timeZone: 'UTC' });

/** "November 26, 2026" */
export function formatDay(date: Date): string {
  return dayFormat.format(date);
}

/** "2026-11-26 12:00:05 UTC" */
export function formatInstant(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
