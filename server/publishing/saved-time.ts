// The editor says when the thesis was last saved in words a person reads at a glance, in UTC
// (the server's only zone; the schedule form is in UTC too), never as a raw ISO string.
const CLOCK = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });

/** "at 12:04 UTC" on the same UTC day as `now`, else "on 2 Dec 2026 at 12:04 UTC". */
export function humanTime(at: Date, now: Date): string {
  const sameDay = at.toISOString().slice(0, 10) === now.toISOString().slice(0, 10);
  return sameDay ? `at ${CLOCK.format(at)} UTC` : `on ${DAY.format(at)} at ${CLOCK.format(at)} UTC`;
}

/** What the editor's bar says after a save: only a save that changed something says "Saved". */
export function saveMessage(query: { saved?: unknown; unchanged?: unknown }, updatedAt: Date, now: Date): string | null {
  if (query.unchanged === '1') return 'No changes to save.';
  if (query.saved === '1') return `Saved ${humanTime(updatedAt, now)}.`;
  return null;
}
