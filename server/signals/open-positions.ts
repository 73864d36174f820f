import { instrumentKey } from './instrument.ts';
import type { PositionAction } from './hash-chain.ts';

/** A stored position entry or exit, as far as matching them needs. */
export interface PositionLeg {
  positionAction: string | null;
  instrument: string | null;
  currency: string | null;
}

export interface OpenPosition {
  instrument: string;
  /** The currency of its first entry: what adds and the exit must be in. */
  currency: string;
}

/** One round trip in one instrument: its entries (several when the publisher added), and the exit that closed it. */
export interface RoundTrip<Leg extends PositionLeg> {
  instrument: string;
  entries: Leg[];
  exit: Leg | null;
}

/**
 * Pairs legs (oldest first) into round trips, per instrument key: an entry opens a trip or adds to
 * the open one, an exit closes it. An exit with nothing open before it is a trip of its own, still a
 * call on the record. The one pairing rule: /record's lines (position-summary.ts) and the check that
 * refuses an unmatched exit (positionRefusal) both use it.
 */
export function roundTrips<Leg extends PositionLeg>(legs: readonly Leg[]): RoundTrip<Leg>[] {
  const trips: RoundTrip<Leg>[] = [];
  const open = new Map<string, RoundTrip<Leg>>();
  for (const leg of legs) {
    const instrument = leg.instrument ?? '';
    const key = instrumentKey(instrument);
    const current = open.get(key);
    if (leg.positionAction === 'entry') {
      if (current) {
        current.entries.push(leg);
      } else {
        const trip: RoundTrip<Leg> = { instrument, entries: [leg], exit: null };
        trips.push(trip);
        open.set(key, trip);
      }
    } else if (current) {
      current.exit = leg;
      open.delete(key);
    } else {
      trips.push({ instrument, entries: [], exit: leg });
    }
  }
  return trips;
}

/** The positions still open after these legs (oldest first), by instrument key. */
export function openPositions(legs: readonly PositionLeg[]): Map<string, OpenPosition> {
  const open = new Map<string, OpenPosition>();
  for (const trip of roundTrips(legs)) {
    const [first] = trip.entries;
    if (first && !trip.exit) open.set(instrumentKey(trip.instrument), { instrument: trip.instrument, currency: first.currency ?? '' });
  }
  return open;
}

/**
 * Why this entry or exit cannot follow the open positions, or null. An exit must close an open
 * position in its currency, and an add must be in the position's currency: otherwise /record could
 * not pair them, and a losing round trip would show as an open position and a stray exit.
 */
export function positionRefusal(open: ReadonlyMap<string, OpenPosition>, leg: { action: PositionAction; instrument: string; currency: string }): string | null {
  const position = open.get(instrumentKey(leg.instrument));
  if (!position) {
    if (leg.action === 'entry') return null;
    const names = [...open.values()].map((each) => each.instrument).join(', ') || 'none';
    return `exit: there is no open position in ${leg.instrument} (open positions: ${names}).`;
  }
  if (position.currency === leg.currency) return null;
  const then = leg.action === 'exit' ? `record the exit in ${position.currency}` : `an entry adds to it in the same currency`;
  return `currency: the open position in ${leg.instrument} is in ${position.currency}; ${then}.`;
}
