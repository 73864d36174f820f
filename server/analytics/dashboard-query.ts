import { badRequest } from '../http/errors.ts';
import { parseGranularity, type Granularity } from './buckets.ts';
import { parsePeriodDays, periodEnding, type Period } from './period.ts';

/** The dashboard's tables, each downloadable as CSV. */
export const DASHBOARD_TABLES = ['revenue', 'funnel', 'theses', 'sources', 'members', 'mail', 'signals', 'alerts'] as const;
export type DashboardTable = (typeof DASHBOARD_TABLES)[number];

export interface DashboardQuery {
  period: Period;
  granularity: Granularity;
}

/**
 * `?period=7|30|90&granularity=day|week|month` as of `now`; a missing one takes its default, anything
 * else is a 400 naming what is allowed (a repeated one never gets here: http/input-guard.ts).
 */
export function parseDashboardQuery(query: Record<string, unknown>, now: Date): DashboardQuery {
  const days = parsePeriodDays(query.period);
  if (days === null) throw badRequest('The period must be 7, 30 or 90 days: ?period=7, ?period=30 or ?period=90.');
  const granularity = parseGranularity(query.granularity);
  if (granularity === null) throw badRequest('The granularity must be day, week or month: ?granularity=day, ?granularity=week or ?granularity=month.');
  return { period: periodEnding(now, days), granularity };
}

export function parseDashboardTable(value: unknown): DashboardTable {
  const table = DASHBOARD_TABLES.find((name) => name === value);
  if (!table) throw badRequest(`The table must be one of ${DASHBOARD_TABLES.join(', ')}: ?table=revenue, for example.`);
  return table;
}
