import type { ChainLinkRow } from './signal-log.repo.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const RESOLVED = new Set(['confirmed', 'failed']);

/** The track record's counts: each signal is one call, judged by its latest entry the viewer may read. */
export interface CallTally {
  calls: number;
  confirmed: number;
  weakened: number;
  failed: number;
  open: number;
  /** For each resolved call: from its first entry to the entry that resolved it. */
  resolutionsMs: number[];
}

const EMPTY: CallTally = { calls: 0, confirmed: 0, weakened: 0, failed: 0, open: 0, resolutionsMs: [] };

/**
 * Counts calls from the entries passed in. Give it only the entries the viewer may read: counting an
 * embargoed move would reveal it (a "confirmed" count that rises before the entry shows).
 */
export function tallyCalls(readable: readonly ChainLinkRow[]): CallTally {
  const bySignal = new Map<string, ChainLinkRow[]>();
  for (const row of readable) {
    if (row.kind === 'section' || row.signalId === null) continue;
    bySignal.set(row.signalId, [...(bySignal.get(row.signalId) ?? []), row]);
  }
  const tally = { ...EMPTY, resolutionsMs: [] as number[] };
  for (const history of bySignal.values()) {
    const last = history.at(-1)!;
    tally.calls++;
    if (last.status === 'confirmed') tally.confirmed++;
    else if (last.status === 'failed') tally.failed++;
    else if (last.status === 'weakening') tally.weakened++;
    else tally.open++;
    if (RESOLVED.has(last.status)) {
      // Resolved by the move into the final status: a later note that keeps it does not resolve it again.
      let resolving = history.length - 1;
      while (resolving > 0 && history[resolving - 1].status === last.status) resolving--;
      tally.resolutionsMs.push(history[resolving].recordedAt.getTime() - history[0].recordedAt.getTime());
    }
  }
  return tally;
}

export function combineTallies(tallies: readonly CallTally[]): CallTally {
  return tallies.reduce(
    (sum, tally) => ({
      calls: sum.calls + tally.calls,
      confirmed: sum.confirmed + tally.confirmed,
      weakened: sum.weakened + tally.weakened,
      failed: sum.failed + tally.failed,
      open: sum.open + tally.open,
      resolutionsMs: [...sum.resolutionsMs, ...tally.resolutionsMs],
    }),
    EMPTY,
  );
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The tally as the page shows it: the median time to resolution in days. */
export function summaryView(tally: CallTally) {
  const medianMs = median(tally.resolutionsMs);
  const { resolutionsMs: _resolutions, ...counts } = tally;
  return {
    ...counts,
    resolved: tally.resolutionsMs.length,
    medianDaysToResolution: medianMs === null ? null : Math.round((medianMs / DAY_MS) * 10) / 10,
  };
}
