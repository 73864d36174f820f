import type { Db } from '../db/database.ts';
import { findThesisMetaById } from '../catalog/thesis-lookup.repo.ts';
import { positionView, signalRowsOf, summarize, updateView } from './signal-board.ts';
import { formatInstant } from '../http/dates.ts';
import { findChainHead, listUpdates, listUpdatesAfter, type SignalUpdateRow } from './signal-log.repo.ts';

/** One Server-Sent Event, serialised once and written as is to every stream of its thesis. */
export interface StreamEvent {
  sequence: number;
  frame: string;
}

// Bounds one poll's read; a longer backlog is read in further rounds.
export const POLL_BATCH = 200;

export function sseFrame(event: string, id: number | null, data: unknown): string {
  return `${id === null ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Turns new rows of one thesis into events. Each carries the update as the board shows it plus the
 * thesis summary as of now, so the page replaces its summary without computing anything.
 */
async function framesFor(db: Db, thesisId: string, rows: readonly SignalUpdateRow[]): Promise<StreamEvent[]> {
  const [thesis, signals, all] = await Promise.all([
    findThesisMetaById(db, thesisId),
    db.signal.findMany({ where: { thesisId }, select: { id: true, status: true } }),
    listUpdates(db, thesisId),
  ]);
  const updates = signalRowsOf(all);
  const latest = new Map(updates.map((update) => [update.signalId, update.status]));
  const current = signals.map((signal) => ({ ...signal, title: '', status: latest.get(signal.id) ?? signal.status }));
  const summary = summarize(current, updates, thesis?.publishedAt ?? null);
  // A members' section change is a link of the chain too: it keeps the sequence (so the stream's
  // cursor moves over it) under its own event name, which the board's page does not listen to.
  // A position entry likewise comes as 'position-update'.
  return rows.map((row) => ({ sequence: row.sequence, frame: frameOf(row, summary) }));
}

function frameOf(row: SignalUpdateRow, summary: ReturnType<typeof summarize>): string {
  if (row.kind === 'section') {
    return sseFrame('section-update', row.sequence, { sequence: row.sequence, sectionTitle: row.sectionTitle, recordedAtText: formatInstant(row.recordedAt), hash: row.hash });
  }
  if (row.kind === 'position') return sseFrame('position-update', row.sequence, positionView(row));
  return sseFrame('signal-update', row.sequence, { ...updateView(row), summary });
}

/** New events of every watched thesis since its cursor, in one query for all of them. */
export async function eventsAfter(db: Db, cursors: ReadonlyMap<string, number>): Promise<{ events: Map<string, StreamEvent[]>; more: boolean }> {
  const rows = await listUpdatesAfter(db, cursors, POLL_BATCH);
  const byThesis = new Map<string, SignalUpdateRow[]>();
  for (const row of rows) byThesis.set(row.thesisId, [...(byThesis.get(row.thesisId) ?? []), row]);
  const events = new Map<string, StreamEvent[]>();
  for (const [thesisId, thesisRows] of byThesis) events.set(thesisId, await framesFor(db, thesisId, thesisRows));
  return { events, more: rows.length === POLL_BATCH };
}

/** Everything a reconnecting stream missed (Last-Event-ID), straight from the record. */
export async function replayAfter(db: Db, thesisId: string, afterSequence: number): Promise<StreamEvent[]> {
  const rows = await listUpdates(db, thesisId, afterSequence);
  return rows.length ? framesFor(db, thesisId, rows) : [];
}

export async function headSequence(db: Db, thesisId: string): Promise<number> {
  return (await findChainHead(db, thesisId))?.sequence ?? 0;
}
