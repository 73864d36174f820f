import { formatDay } from '../http/dates.ts';
import { roundTrips, type RoundTrip } from './open-positions.ts';
import type { ChainLinkRow } from './signal-log.repo.ts';

export interface PositionLine {
  text: string;
  returnPercent: number | null;
}

/**
 * A thesis's positions, one line per round trip, oldest first, from the entries the viewer may read
 * (an embargoed exit must not show, nor a return that would reveal it): "Entered CBRS at 41.20 USD on
 * November 20, 2026 (recorded the same day); exited at 50.00 USD on December 10, 2026 (recorded
 * December 11, 2026) (+21.4 %)." Every round trip is listed, losers included, each instrument matched
 * with its own exits; the recording date is shown beside the stated trade date, since only it is the
 * server's. The change is computed only for one entry and one exit in the same currency: with
 * several entries the sizes (free text) would be needed to weigh them.
 */
export function positionLines(readable: readonly ChainLinkRow[]): PositionLine[] {
  return roundTrips(readable.filter((row) => row.kind === 'position')).map(describeTrip);
}

function describeTrip(trip: RoundTrip<ChainLinkRow>): PositionLine {
  const [first, ...added] = trip.entries;
  if (!first) return { text: `Exited ${trip.instrument} at ${at(trip.exit!)} (no entry recorded before it).`, returnPercent: null };
  const entered = [`Entered ${trip.instrument} at ${at(first)}`, ...added.map((row) => `added at ${at(row)}`)].join(', ');
  if (!trip.exit) return { text: `${entered}; position open.`, returnPercent: null };
  const comparable = added.length === 0 && trip.exit.currency === first.currency;
  const returnPercent = comparable ? percentChange(first.price ?? '', trip.exit.price ?? '') : null;
  const change = returnPercent === null ? '' : ` (${returnPercent > 0 ? '+' : ''}${returnPercent} %)`;
  return { text: `${entered}; exited at ${at(trip.exit)}${change}.`, returnPercent };
}

/** "41.20 USD on November 20, 2026 (recorded November 21, 2026)": the stated date, and the server's. */
function at(row: ChainLinkRow): string {
  const stated = formatDay(row.occurredAt);
  const recorded = formatDay(row.recordedAt);
  return `${row.price ?? ''} ${row.currency ?? ''} on ${stated} (recorded ${recorded === stated ? 'the same day' : recorded})`;
}

/** From entry to exit price, in percent with one decimal; prices are positive decimals (position-form.ts). */
export function percentChange(entryPrice: string, exitPrice: string): number | null {
  const from = Number(entryPrice);
  const to = Number(exitPrice);
  if (!(from > 0) || !Number.isFinite(to)) return null;
  return Math.round(((to - from) / from) * 1000) / 10;
}
