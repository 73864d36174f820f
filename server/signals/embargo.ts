const DAY_MS = 24 * 60 * 60 * 1000;

/** The embargo counts from recordedAt, the server's time, which no one can backdate. */
export function revealTime(recordedAt: Date, embargoDays: number): Date {
  return new Date(recordedAt.getTime() + embargoDays * DAY_MS);
}

/**
 * When the public may read an entry: the time fixed when it was recorded, brought forward when the
 * publisher shortens the embargo (signal-log.repo.ts, bringRevealTimesForward), never moved back (a
 * longer embargo is refused once a thesis has entries: publishing/thesis-editing.ts), so what the
 * public has read stays readable. A row without one (none after the migration that added it) follows
 * today's setting.
 */
export function entryRevealTime(row: { recordedAt: Date; revealsAt: Date | null }, embargoDays: number): Date {
  return row.revealsAt ?? revealTime(row.recordedAt, embargoDays);
}
