import { utcDay, type Period } from './period.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How the dashboard groups a period: by UTC day, by week (starting Monday, UTC) or by calendar month. */
export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
export const DEFAULT_GRANULARITY: Granularity = 'day';

/** `?granularity=`: absent means the default; anything else unknown is null (the route answers 400). */
export function parseGranularity(value: unknown): Granularity | null {
  if (value === undefined) return DEFAULT_GRANULARITY;
  return GRANULARITIES.find((granularity) => granularity === value) ?? null;
}

/**
 * The bucket a moment falls in, named by its first day: "2026-12-02" (day), the Monday of its week
 * "2026-11-30" (week), or "2026-12" (month). Names sort in time order as strings.
 */
export function bucketOf(moment: Date, granularity: Granularity): string {
  if (granularity === 'month') return utcDay(moment).slice(0, 7);
  if (granularity === 'day') return utcDay(moment);
  const dayStart = Date.UTC(moment.getUTCFullYear(), moment.getUTCMonth(), moment.getUTCDate());
  const sinceMonday = (moment.getUTCDay() + 6) % 7;
  return utcDay(new Date(dayStart - sinceMonday * DAY_MS));
}

/** Every bucket the period touches, oldest first: the first and last may hold only part of a week or month. */
export function bucketsOf(period: Period, granularity: Granularity): string[] {
  const names: string[] = [];
  for (let time = period.from.getTime(); time < period.until.getTime(); time += DAY_MS) {
    const name = bucketOf(new Date(time), granularity);
    if (names.at(-1) !== name) names.push(name);
  }
  return names;
}
