import { formatDay, formatInstant } from '../http/dates.ts';
import type { EmbargoedEntry, ChainEntry } from './hash-chain.ts';
import { toChainLink, type ChainLinkRow } from './signal-log.repo.ts';
import { statusLabel } from './statuses.ts';
import { entryRevealTime } from './embargo.ts';
import { positionActionLabel } from './signal-board.ts';

/** Who is looking at one thesis's record, and when. */
export interface RecordVisibility {
  embargoDays: number;
  now: Date;
  /** A member entitled to the thesis: reads every entry as it is recorded. */
  live: boolean;
}

type Timed = { recordedAt: Date; revealsAt: Date | null };

/**
 * Whether a viewer may read an entry's content. Protects the members' live state: the public reads a
 * move only once its embargo has passed (embargo.ts); before that, only the entry's hash and time.
 */
export function isRevealed(row: Timed, visibility: RecordVisibility): boolean {
  return visibility.live || visibility.now.getTime() >= entryRevealTime(row, visibility.embargoDays).getTime();
}

/**
 * Which entries of a chain (oldest first) a viewer may read: always its beginning, never an entry
 * after one still under embargo. recordedAt can step back a little along a chain (a save retried
 * after a concurrent update keeps its time; instances' clocks differ), and an export showing a later
 * entry while an earlier one is hidden could not be told from one that hides a revealed entry.
 */
export function revealedFlags(rows: readonly Timed[], visibility: RecordVisibility): boolean[] {
  let open = true;
  return rows.map((row) => (open = open && isRevealed(row, visibility)));
}

/**
 * One entry as /record shows it. Revealed, an entry's own sequence and hash are the chain head that
 * was public when it was recorded (every later entry hashes it through prevHash). A section change
 * shows its title, time and digests only: the section's text is paid content and is not even loaded.
 */
export function recordEntryView(row: ChainLinkRow, visibility: RecordVisibility, revealed: boolean) {
  const base = { sequence: row.sequence, hash: row.hash, recordedAt: row.recordedAt.toISOString(), recordedAtText: formatInstant(row.recordedAt) };
  if (!revealed) {
    return { ...base, embargoed: true as const, revealsAtText: formatInstant(entryRevealTime(row, visibility.embargoDays)) };
  }
  if (row.kind === 'position') {
    return {
      ...base,
      position: {
        actionLabel: positionActionLabel(row.positionAction),
        instrument: row.instrument ?? '',
        price: row.price ?? '',
        currency: row.currency ?? '',
        sizeNote: row.sizeNote,
        occurredOn: formatDay(row.occurredAt),
      },
    };
  }
  if (row.kind === 'section') {
    return {
      ...base,
      section: {
        title: row.sectionTitle ?? '',
        textSha256: row.textSha256 ?? '',
        previousTextSha256: row.previousTextSha256 ?? '',
        editorial: row.editorial,
      },
    };
  }
  return {
    ...base,
    signal: {
      title: row.signalTitle,
      status: row.status,
      statusLabel: statusLabel(row.status),
      previousStatusLabel: statusLabel(row.previousStatus),
      moved: row.status !== row.previousStatus,
      occurredOn: formatDay(row.occurredAt),
      correctsSequence: row.correctsSequence,
    },
  };
}

/** One entry of the public export: what verifyChain needs once revealed, only its place in the chain before. */
export function exportEntry(row: ChainLinkRow, revealed: boolean, embargoDays: number): ChainEntry | EmbargoedEntry {
  if (!revealed) {
    const revealsAt = entryRevealTime(row, embargoDays).toISOString();
    return { sequence: row.sequence, recordedAt: row.recordedAt.toISOString(), revealsAt, prevHash: row.prevHash, hash: row.hash, embargoed: true };
  }
  return toChainLink(row);
}

/** The public history of a thesis's chain heads: every link's place, never its content. */
export function chainHeads(rows: readonly ChainLinkRow[]) {
  return rows.map((row) => ({ sequence: row.sequence, hash: row.hash, recordedAt: row.recordedAt.toISOString() }));
}

export type ChainHeadItem = ReturnType<typeof chainHeads>[number];
