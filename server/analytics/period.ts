const DAY_MS = 24 * 60 * 60 * 1000;

/** The periods the funnel offers, in days ending today. */
export const PERIOD_DAYS = [7, 30, 90] as const;
export type PeriodDays = (typeof PERIOD_DAYS)[number];
export const DEFAULT_PERIOD_DAYS: PeriodDays = 30;

/** The UTC calendar day of a moment, as stored: YYYY-MM-DD. */
export const utcDay = (moment: Date): string => moment.toISOString().slice(0, 10);

export interface Period {
  days: PeriodDays;
  /** First and last UTC day counted, inclusive. */
  fromDay: string;
  toDay: string;
  /** The same as moments: [from, until). */
  from: Date;
  until: Date;
}

/** `?days=`: absent means the default; anything but 7, 30 or 90 is null (the route answers 400). */
export function parsePeriodDays(value: unknown): PeriodDays | null {
  if (value === undefined) return DEFAULT_PERIOD_DAYS;
  return PERIOD_DAYS.find((days) => String(days) === value) ?? null;
}

/** The last `days` UTC days, today (on the given clock reading) included. */
export function periodEnding(now: Date, days: PeriodDays): Period {
  const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(todayStart - (days - 1) * DAY_MS);
  const until = new Date(todayStart + DAY_MS);
  return { days, fromDay: utcDay(from), toDay: utcDay(now), from, until };
}
