import { formatDay } from '../http/dates.ts';
import type { ChainLinkRow } from './signal-log.repo.ts';

/**
 * A thesis's position in one line, from the entries the viewer may read (an embargoed exit must not
 * show, nor a return that would reveal it): "Entered CBRS at 41.20 USD on November 20, 2026; exited at
 * 50.00 USD on December 10, 2026 (+21.4 %)". The latest entry, and the first exit after it; the
 * change is computed only when both are readable and in the same currency. Null before any entry.
 */
export function positionSummary(readable: readonly ChainLinkRow[]): { text: string; returnPercent: number | null } | null {
  const positions = readable.filter((row) => row.kind === 'position');
  const entryIndex = positions.map((row) => row.positionAction).lastIndexOf('entry');
  const entry = entryIndex >= 0 ? positions[entryIndex] : undefined;
  const exit = positions.slice(entryIndex + 1).find((row) => row.positionAction === 'exit');
  const at = (row: ChainLinkRow) => `${row.price ?? ''} ${row.currency ?? ''} on ${formatDay(row.occurredAt)}`;
  if (!entry) return exit ? { text: `Exited ${exit.instrument ?? ''} at ${at(exit)}.`, returnPercent: null } : null;
  const entered = `Entered ${entry.instrument ?? ''} at ${at(entry)}`;
  if (!exit) return { text: `${entered}; position open.`, returnPercent: null };
  const returnPercent = exit.currency === entry.currency ? percentChange(entry.price ?? '', exit.price ?? '') : null;
  const change = returnPercent === null ? '' : ` (${returnPercent > 0 ? '+' : ''}${returnPercent} %)`;
  return { text: `${entered}; exited at ${at(exit)}${change}.`, returnPercent };
}

/** From entry to exit price, in percent with one decimal; prices are positive decimals (position-form.ts). */
export function percentChange(entryPrice: string, exitPrice: string): number | null {
  const from = Number(entryPrice);
  const to = Number(exitPrice);
  if (!(from > 0) || !Number.isFinite(to)) return null;
  return Math.round(((to - from) / from) * 1000) / 10;
}
