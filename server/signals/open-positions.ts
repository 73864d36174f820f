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

/** The positions still open after these legs (oldest first), by instrument key; matched as /record pairs them (position-summary.ts). */
export function openPositions(legs: readonly PositionLeg[]): Map<string, OpenPosition> {
  const open = new Map<string, OpenPosition>();
  for (const leg of legs) {
    const instrument = leg.instrument ?? '';
    const key = instrumentKey(instrument);
    if (leg.positionAction === 'exit') open.delete(key);
    else if (!open.has(key)) open.set(key, { instrument, currency: leg.currency ?? '' });
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
