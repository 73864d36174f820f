import type { Db } from '../db/database.ts';
import { formatDay, formatInstant } from '../http/dates.ts';
import { listUpdates, type SignalUpdateRow } from './signal-log.repo.ts';
import { directionOf, statusLabel } from './statuses.ts';

interface BoardSignal {
  id: string;
  title: string;
  status: string;
}

/** One update as members read it (board page and live events alike). */
export function updateView(row: SignalUpdateRow) {
  return {
    sequence: row.sequence,
    signalId: row.signalId,
    signalTitle: row.signalTitle,
    status: row.status,
    statusLabel: statusLabel(row.status),
    previousStatus: row.previousStatus,
    previousStatusLabel: statusLabel(row.previousStatus),
    moved: row.status !== row.previousStatus,
    noteHtml: row.noteHtml,
    sourceUrl: row.sourceUrl,
    correctsSequence: row.correctsSequence,
    occurredOn: formatDay(row.occurredAt),
    recordedAt: row.recordedAt.toISOString(),
    recordedAtText: formatInstant(row.recordedAt),
    hash: row.hash,
  };
}

export type UpdateView = ReturnType<typeof updateView>;

/** "Entry" or "Exit": how a position entry reads on every page. */
export function positionActionLabel(action: string | null): string {
  return action === 'exit' ? 'Exit' : 'Entry';
}

/** One position entry or exit as members read it: "Entry: CBRS at 41.20 USD on November 20, 2026". */
export function positionView(row: SignalUpdateRow) {
  return {
    sequence: row.sequence,
    action: row.positionAction,
    actionLabel: positionActionLabel(row.positionAction),
    instrument: row.instrument ?? '',
    price: row.price ?? '',
    currency: row.currency ?? '',
    sizeNote: row.sizeNote,
    noteHtml: row.noteHtml,
    occurredOn: formatDay(row.occurredAt),
    recordedAt: row.recordedAt.toISOString(),
    recordedAtText: formatInstant(row.recordedAt),
    hash: row.hash,
  };
}

/**
 * The thesis-level summary: where the signals stand now (how many confirm, how many weaken) and how
 * many recorded moves since publication pointed each way. A move is an update that changed the status.
 */
export function summarize(signals: readonly BoardSignal[], updates: readonly SignalUpdateRow[], publishedAt: Date | null) {
  const now = { confirming: 0, weakening: 0, neutral: 0 };
  for (const signal of signals) now[directionOf(signal.status)]++;
  const moves = { confirming: 0, weakening: 0, neutral: 0 };
  const since = publishedAt ?? new Date(0);
  for (const update of updates) {
    if (update.status !== update.previousStatus && update.recordedAt >= since) moves[directionOf(update.status)]++;
  }
  return {
    since: publishedAt ? formatDay(publishedAt) : null,
    signals: signals.length,
    confirming: now.confirming,
    weakening: now.weakening,
    unchanged: now.neutral,
    movesTowardConfirmation: moves.confirming,
    movesTowardWeakening: moves.weakening,
    updates: updates.length,
  };
}

export type BoardSummary = ReturnType<typeof summarize>;

/** The record's signal updates, without its members' section changes (those have no signal). */
export function signalRowsOf(rows: readonly SignalUpdateRow[]): (SignalUpdateRow & { signalId: string })[] {
  return rows.filter((row): row is SignalUpdateRow & { signalId: string } => row.kind !== 'section' && row.signalId !== null);
}

/** Each signal's status from the record (the chain is the truth), its last move and its history, newest first. */
export function buildBoard(signals: readonly BoardSignal[], record: readonly SignalUpdateRow[], publishedAt: Date | null) {
  const updates = signalRowsOf(record);
  const bySignal = new Map<string, SignalUpdateRow[]>();
  for (const update of updates) bySignal.set(update.signalId, [...(bySignal.get(update.signalId) ?? []), update]);
  const current = signals.map((signal) => {
    const history = bySignal.get(signal.id) ?? [];
    const status = history.at(-1)?.status ?? signal.status;
    const lastMove = [...history].reverse().find((update) => update.status !== update.previousStatus);
    return {
      id: signal.id,
      title: signal.title,
      status,
      statusLabel: statusLabel(status),
      lastMovedAt: lastMove ? lastMove.recordedAt.toISOString() : null,
      lastMovedText: lastMove ? formatInstant(lastMove.recordedAt) : null,
      lastMovedOn: lastMove ? formatDay(lastMove.recordedAt) : null,
      updates: history.length,
      history: history.map(updateView).reverse(),
    };
  });
  const head = record.at(-1);
  return {
    signals: current,
    // The thesis's position as the publisher recorded it, newest first.
    positions: record.filter((row) => row.kind === 'position').map(positionView).reverse(),
    summary: summarize(current, updates, publishedAt),
    // The chain is the whole record: section changes are links too.
    chain: {
      count: record.length,
      head: head?.hash ?? null,
      recordedAt: head ? head.recordedAt.toISOString() : null,
      recordedAtText: head ? formatInstant(head.recordedAt) : null,
    },
  };
}

export type Board = ReturnType<typeof buildBoard>;

export async function loadBoard(db: Db, thesis: { id: string; publishedAt: Date | null }): Promise<Board> {
  const [signals, updates] = await Promise.all([
    db.signal.findMany({ where: { thesisId: thesis.id }, orderBy: { position: 'asc' }, select: { id: true, title: true, status: true } }),
    listUpdates(db, thesis.id),
  ]);
  return buildBoard(signals, updates, thesis.publishedAt);
}
