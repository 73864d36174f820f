import type { Db, Tx } from '../db/database.ts';
import { isSectionEntry, type ChainEntry, type HashedPosition, type HashedSectionChange, type HashedUpdate, type PositionAction } from './hash-chain.ts';
import { renderStoredNote } from './note-html.ts';
import { revealTime } from './embargo.ts';

/** A stored update as the database returns it (dates as Date). */
export type SignalUpdateRow = Awaited<ReturnType<typeof listUpdates>>[number];

export interface ChainHead {
  sequence: number;
  hash: string;
  recordedAt: Date;
}

/** The latest link of a thesis's chain, or null before the first update. Selects no content. */
export function findChainHead(db: Tx, thesisId: string): Promise<ChainHead | null> {
  return db.signalUpdate.findFirst({
    where: { thesisId },
    orderBy: { sequence: 'desc' },
    select: { sequence: true, hash: true, recordedAt: true },
  });
}

/**
 * Rows recorded before notes were stored rendered get their HTML on first read, stored once (only
 * noteHtml is written: the hashed fields stay as they are).
 */
async function withNoteHtml<Row extends { id: string; note: string; noteHtml: string | null }>(db: Db, rows: Row[]): Promise<(Row & { noteHtml: string })[]> {
  for (const row of rows) {
    if (row.noteHtml !== null) continue;
    row.noteHtml = renderStoredNote(row.note);
    await db.signalUpdate.updateMany({ where: { id: row.id, noteHtml: null }, data: { noteHtml: row.noteHtml } });
  }
  return rows as (Row & { noteHtml: string })[];
}

/** The whole record of a thesis, oldest first (the chain's order). Members only. */
export async function listUpdates(db: Db, thesisId: string, afterSequence = 0) {
  return withNoteHtml(db, await db.signalUpdate.findMany({ where: { thesisId, sequence: { gt: afterSequence } }, orderBy: { sequence: 'asc' } }));
}

/**
 * New updates of several theses at once, for the broadcaster: one query per poll whatever the number
 * of open streams. Per-thesis sequences (not a global counter) are what makes this gap-free: a thesis's
 * update N+1 can only be written after N committed, because it must read N's hash.
 */
export async function listUpdatesAfter(db: Db, cursors: ReadonlyMap<string, number>, take: number) {
  const rows = await db.signalUpdate.findMany({
    where: { OR: [...cursors].map(([thesisId, sequence]) => ({ thesisId, sequence: { gt: sequence } })) },
    orderBy: [{ thesisId: 'asc' }, { sequence: 'asc' }],
    take,
  });
  return withNoteHtml(db, rows);
}

/** The latest update of one signal up to a given link of the chain. */
export function findLatestForSignal(db: Tx, signalId: string, upToSequence: number) {
  return db.signalUpdate.findFirst({
    where: { signalId, sequence: { lte: upToSequence } },
    orderBy: { sequence: 'desc' },
    select: { status: true },
  });
}

export function findUpdateBySequence(db: Tx, thesisId: string, sequence: number) {
  return db.signalUpdate.findUnique({ where: { thesisId_sequence: { thesisId, sequence } }, select: { signalId: true } });
}

/** An entry's reveal time, fixed as it is recorded: under the thesis's embargo as it stands then (embargo.ts). */
async function revealTimeAt(db: Tx, thesisId: string, recordedAt: Date): Promise<Date> {
  const { recordEmbargoDays } = await db.thesis.findUniqueOrThrow({ where: { id: thesisId }, select: { recordEmbargoDays: true } });
  return revealTime(recordedAt, recordEmbargoDays);
}

/**
 * A shortened embargo: each entry of the thesis whose reveal time is later than the new embargo
 * allows comes out sooner, and stays so (a longer embargo set afterwards does not move it back).
 */
export async function bringRevealTimesForward(db: Tx, thesisId: string, embargoDays: number): Promise<void> {
  const rows = await db.signalUpdate.findMany({ where: { thesisId }, select: { id: true, recordedAt: true, revealsAt: true } });
  for (const row of rows) {
    const sooner = revealTime(row.recordedAt, embargoDays);
    if (row.revealsAt === null || row.revealsAt.getTime() > sooner.getTime()) {
      await db.signalUpdate.update({ where: { id: row.id }, data: { revealsAt: sooner } });
    }
  }
}

/** Appends one link; the unique (thesisId, sequence) makes a concurrent append of the same link fail. */
export async function insertUpdate(db: Tx, update: HashedUpdate, noteHtml: string): Promise<void> {
  const recordedAt = new Date(update.recordedAt);
  await db.signalUpdate.create({
    data: { ...update, noteHtml, occurredAt: new Date(update.occurredAt), recordedAt, revealsAt: await revealTimeAt(db, update.thesisId, recordedAt) },
  });
}

/**
 * Appends a members' section change: the signal columns stay empty (signalId null), the texts are
 * stored for the diffs, their digests are what the hash covers.
 */
export async function insertSectionChange(db: Tx, entry: HashedSectionChange): Promise<void> {
  const recordedAt = new Date(entry.recordedAt);
  await db.signalUpdate.create({
    data: {
      id: entry.id,
      thesisId: entry.thesisId,
      sequence: entry.sequence,
      kind: 'section',
      signalId: null,
      signalTitle: '',
      status: '',
      previousStatus: '',
      note: '',
      noteHtml: '',
      occurredAt: recordedAt,
      recordedAt,
      revealsAt: await revealTimeAt(db, entry.thesisId, recordedAt),
      alert: entry.alert,
      prevHash: entry.prevHash,
      hash: entry.hash,
      sectionKey: entry.sectionKey,
      sectionTitle: entry.sectionTitle,
      sectionText: entry.text ?? null,
      previousSectionText: entry.previousText ?? null,
      textSalt: entry.textSalt ?? null,
      previousTextSalt: entry.previousTextSalt ?? null,
      textSha256: entry.textSha256,
      previousTextSha256: entry.previousTextSha256,
      editorial: entry.editorial,
    },
  });
}

/**
 * Appends a position entry (the thesis's position entered or exited): the signal columns stay empty
 * (signalId null); the note and the trade's date use the columns signal updates use for theirs.
 */
export async function insertPosition(db: Tx, entry: HashedPosition, noteHtml: string): Promise<void> {
  const recordedAt = new Date(entry.recordedAt);
  await db.signalUpdate.create({
    data: {
      id: entry.id,
      thesisId: entry.thesisId,
      sequence: entry.sequence,
      kind: 'position',
      signalId: null,
      signalTitle: '',
      status: '',
      previousStatus: '',
      note: entry.note,
      noteHtml,
      occurredAt: new Date(entry.occurredAt),
      recordedAt,
      revealsAt: await revealTimeAt(db, entry.thesisId, recordedAt),
      alert: entry.alert,
      prevHash: entry.prevHash,
      hash: entry.hash,
      positionAction: entry.action,
      instrument: entry.instrument,
      price: entry.price,
      currency: entry.currency,
      sizeNote: entry.sizeNote,
    },
  });
}

/** Whether a thesis has any link on its record (publishing's `RecordCheck`: such a thesis cannot be unpublished). */
export async function hasChainEntries(db: Tx, thesisId: string): Promise<boolean> {
  return (await db.signalUpdate.findFirst({ where: { thesisId }, select: { id: true } })) !== null;
}

/**
 * The latest links of the theses the public has seen, newest first, their place only (never content):
 * /feed.xml carries them so feed readers keep dated copies of the heads.
 */
export async function listRecentHeads(db: Db, now: Date, take: number) {
  const rows = await db.signalUpdate.findMany({
    where: { thesis: { publishedAt: { lte: now } } },
    // Within one thesis, links recorded in the same millisecond keep their chain order.
    orderBy: [{ recordedAt: 'desc' }, { sequence: 'desc' }],
    take,
    select: { sequence: true, hash: true, recordedAt: true, thesis: { select: { slug: true, title: true } } },
  });
  return rows.map(({ thesis, sequence, hash, recordedAt }) => ({ thesis, head: { sequence, hash, recordedAt: recordedAt.toISOString() } }));
}

/** A thesis's position entries and exits, oldest first: what pairing them needs. */
export function listPositionLegs(db: Tx, thesisId: string) {
  return db.signalUpdate.findMany({
    where: { thesisId, kind: 'position' },
    orderBy: { sequence: 'asc' },
    select: { positionAction: true, instrument: true, currency: true },
  });
}

/**
 * The whole record of a thesis, oldest first, without the members' section texts: for what the
 * public may see (/record). The texts are paid content, so they are not even read.
 */
export function listChainLinks(db: Db, thesisId: string) {
  return db.signalUpdate.findMany({
    where: { thesisId },
    orderBy: { sequence: 'asc' },
    omit: { sectionText: true, previousSectionText: true, textSalt: true, previousTextSalt: true, noteHtml: true },
  });
}

export type ChainLinkRow = Awaited<ReturnType<typeof listChainLinks>>[number];

type StoredRow = Omit<SignalUpdateRow, 'noteHtml'>;

/** Any stored row as the chain sees it: a section change or a signal update. */
export function toChainEntry(row: StoredRow): ChainEntry {
  const link = toChainLink(row);
  if (!isSectionEntry(link)) return link;
  const salts = row.textSalt === null ? {} : { textSalt: row.textSalt, previousTextSalt: row.previousTextSalt ?? '' };
  return { ...link, text: row.sectionText ?? '', previousText: row.previousSectionText ?? '', ...salts };
}

/** A stored row as the chain hashes it: a section change carries its texts' digests, not the texts. */
export function toChainLink(row: ChainLinkRow): ChainEntry {
  if (row.kind === 'position') return toChainedPosition(row);
  if (row.kind !== 'section') return toChained(row);
  return {
    sequence: row.sequence,
    id: row.id,
    thesisId: row.thesisId,
    kind: 'section',
    sectionKey: row.sectionKey ?? '',
    sectionTitle: row.sectionTitle ?? '',
    textSha256: row.textSha256 ?? '',
    previousTextSha256: row.previousTextSha256 ?? '',
    editorial: row.editorial,
    recordedAt: row.recordedAt.toISOString(),
    alert: row.alert,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** A stored signal update as the chain sees it: dates back to the exact ISO strings that were hashed. */
export function toChained(row: ChainLinkRow): HashedUpdate {
  return {
    sequence: row.sequence,
    id: row.id,
    thesisId: row.thesisId,
    signalId: row.signalId ?? '',
    signalTitle: row.signalTitle,
    status: row.status,
    previousStatus: row.previousStatus,
    note: row.note,
    sourceUrl: row.sourceUrl,
    correctsSequence: row.correctsSequence,
    occurredAt: row.occurredAt.toISOString(),
    recordedAt: row.recordedAt.toISOString(),
    alert: row.alert,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** A stored position entry as the chain hashes it. */
export function toChainedPosition(row: ChainLinkRow): HashedPosition {
  return {
    sequence: row.sequence,
    id: row.id,
    thesisId: row.thesisId,
    kind: 'position',
    action: (row.positionAction ?? '') as PositionAction,
    instrument: row.instrument ?? '',
    price: row.price ?? '',
    currency: row.currency ?? '',
    sizeNote: row.sizeNote,
    note: row.note,
    occurredAt: row.occurredAt.toISOString(),
    recordedAt: row.recordedAt.toISOString(),
    alert: row.alert,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** When the last signal update was recorded, on any thesis (section changes and positions are not signal updates). */
export async function latestSignalUpdateAt(db: Db): Promise<Date | null> {
  const latest = await db.signalUpdate.findFirst({ where: { kind: 'signal' }, orderBy: { recordedAt: 'desc' }, select: { recordedAt: true } });
  return latest?.recordedAt ?? null;
}

/** Signal updates recorded in [from, until) per thesis, and how many of them alerted members. */
export async function countSignalUpdatesByThesis(db: Db, from: Date, until: Date): Promise<{ thesisId: string; updates: number; alerts: number }[]> {
  const where = { kind: 'signal', recordedAt: { gte: from, lt: until } };
  const [updates, alerts] = await Promise.all([
    db.signalUpdate.groupBy({ by: ['thesisId'], where, _count: { _all: true } }),
    db.signalUpdate.groupBy({ by: ['thesisId'], where: { ...where, alert: true }, _count: { _all: true } }),
  ]);
  return updates.map((row) => ({ thesisId: row.thesisId, updates: row._count._all, alerts: alerts.find((alert) => alert.thesisId === row.thesisId)?._count._all ?? 0 }));
}

/** The latest entry of a thesis's record that alerted members (any kind) recorded at or after `since`, if any. */
export function latestAlertSince(db: Db, thesisId: string, since: Date): Promise<{ id: string; recordedAt: Date } | null> {
  return db.signalUpdate.findFirst({
    where: { thesisId, alert: true, recordedAt: { gte: since } },
    orderBy: { recordedAt: 'desc' },
    select: { id: true, recordedAt: true },
  });
}

/** Entries that alerted members, recorded in [from, until), oldest first: what the dashboard lists. */
export function listAlertsBetween(db: Db, from: Date, until: Date) {
  return db.signalUpdate.findMany({
    where: { alert: true, recordedAt: { gte: from, lt: until } },
    orderBy: { recordedAt: 'asc' },
    select: { id: true, thesisId: true, sequence: true, kind: true, signalTitle: true, sectionTitle: true, positionAction: true, recordedAt: true },
  });
}
