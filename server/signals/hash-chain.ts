import { createHash } from 'node:crypto';

/**
 * The hash chain behind a thesis's signal record. This file is the whole definition: the server
 * writes with it and `npm run verify-log` checks with it, so it imports nothing of the app.
 *
 * hash = SHA-256 (hex) of the UTF-8 bytes of JSON.stringify of an object holding exactly the keys of
 * CHAINED_FIELDS, in that order (no spaces); dates as ISO 8601 UTC with milliseconds
 * ("2026-11-26T12:00:00.000Z"), absent optional values as null. `prevHash` is one of the keys, so
 * each hash covers the whole history before it. The first update's prevHash is GENESIS_HASH.
 */
export const CHAINED_FIELDS = [
  'sequence',
  'id',
  'thesisId',
  'signalId',
  'signalTitle',
  'status',
  'previousStatus',
  'note',
  'sourceUrl',
  'correctsSequence',
  'occurredAt',
  'recordedAt',
  'alert',
  'prevHash',
] as const;

/**
 * The keys hashed for a members' section entry (`kind: 'section'`): a members' section edited after
 * publication. Signal updates carry no `kind` key in their hash, so every hash written before
 * sections were recorded verifies exactly as it did. The texts themselves are not hashed, their
 * SHA-256 digests are (`textSha256`, `previousTextSha256`); a record that carries the texts
 * (`text`, `previousText`) must match them.
 */
export const SECTION_CHAINED_FIELDS = [
  'sequence',
  'id',
  'thesisId',
  'kind',
  'sectionKey',
  'sectionTitle',
  'textSha256',
  'previousTextSha256',
  'editorial',
  'recordedAt',
  'alert',
  'prevHash',
] as const;

/**
 * The keys hashed for a position entry (`kind: 'position'`): the thesis's position entered or exited,
 * as the publisher states it. `kind` is hashed, so such an entry can never hash like another kind; the
 * price is the decimal string as typed, so the hash covers exactly what was recorded.
 */
export const POSITION_CHAINED_FIELDS = [
  'sequence',
  'id',
  'thesisId',
  'kind',
  'action',
  'instrument',
  'price',
  'currency',
  'sizeNote',
  'note',
  'occurredAt',
  'recordedAt',
  'alert',
  'prevHash',
] as const;

export const GENESIS_HASH = '0'.repeat(64);
/**
 * The public export of a record (/record/<slug>.json): entries still under embargo carry only their
 * place in the chain (EmbargoedEntry). Only a document of this format may hold them.
 */
export const PUBLIC_RECORD_FORMAT = 'warren-public-record/1';
/** The same, holding revealed position entries (kind 'position'): an older verify-log cannot check those. */
export const PUBLIC_RECORD_FORMAT_WITH_POSITIONS = 'warren-public-record/2';
export const PUBLIC_RECORD_FORMATS: readonly string[] = [PUBLIC_RECORD_FORMAT, PUBLIC_RECORD_FORMAT_WITH_POSITIONS];
export const HASH_ALGORITHM = 'sha256';

export interface ChainedUpdate {
  sequence: number;
  id: string;
  thesisId: string;
  signalId: string;
  signalTitle: string;
  status: string;
  previousStatus: string;
  note: string;
  sourceUrl: string | null;
  correctsSequence: number | null;
  occurredAt: string;
  recordedAt: string;
  alert: boolean;
  prevHash: string;
}

export interface HashedUpdate extends ChainedUpdate {
  hash: string;
}

export interface ChainedSectionChange {
  sequence: number;
  id: string;
  thesisId: string;
  kind: 'section';
  sectionKey: string;
  sectionTitle: string;
  textSha256: string;
  previousTextSha256: string;
  editorial: boolean;
  recordedAt: string;
  alert: boolean;
  prevHash: string;
}

export interface HashedSectionChange extends ChainedSectionChange {
  hash: string;
  /** The section's text after and before the change, when the record carries them (log.json does). */
  text?: string;
  previousText?: string;
  /** Their salts (sectionTextDigest), with the texts; absent for entries recorded before digests were salted. */
  textSalt?: string;
  previousTextSalt?: string;
}

export const POSITION_ACTIONS = ['entry', 'exit'] as const;
export type PositionAction = (typeof POSITION_ACTIONS)[number];

export interface ChainedPosition {
  sequence: number;
  id: string;
  thesisId: string;
  kind: 'position';
  action: PositionAction;
  instrument: string;
  /** A positive decimal, as typed ("41.20"). */
  price: string;
  /** ISO 4217, three capital letters. */
  currency: string;
  sizeNote: string | null;
  /** Markdown, possibly empty. */
  note: string;
  /** The trade's date as the publisher states it. */
  occurredAt: string;
  recordedAt: string;
  alert: boolean;
  prevHash: string;
}

export interface HashedPosition extends ChainedPosition {
  hash: string;
}

/** One link of a thesis's record: a signal update (no `kind`, or 'signal'), a section change or a position entry. */
export type ChainEntry = HashedUpdate | HashedSectionChange | HashedPosition;
type Chained = ChainedUpdate | ChainedSectionChange | ChainedPosition;

/** A link whose content the public may not read yet: its hash is taken as given, its place is checked. */
export interface EmbargoedEntry {
  sequence: number;
  recordedAt: string;
  /** When the public may read it, fixed when it was recorded (absent from exports made before it was). */
  revealsAt?: string;
  prevHash: string;
  hash: string;
  embargoed: true;
}

const EMBARGOED_FIELDS = new Set(['sequence', 'recordedAt', 'revealsAt', 'prevHash', 'hash', 'embargoed']);

/**
 * How many days before its recording a position's trade may be dated (a weekend and a holiday); the
 * server refuses older dates (position-record.ts) and the verifier refuses a record that holds one.
 */
export const TRADE_DATE_GRACE_DAYS = 4;
/**
 * How far an entry's recordedAt may fall behind the one before it: a save retried after a concurrent
 * append keeps its time, and instances' clocks differ a little. More is an entry slipped in afterwards.
 */
export const RECORDED_AT_TOLERANCE_MS = 5 * 60 * 1000;
/** An export may be this old (it is cached): an entry still marked embargoed this long after its reveal time was withheld. */
export const STALE_EMBARGO_TOLERANCE_MS = 15 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Milliseconds of an ISO 8601 UTC instant as the server writes them, or null for anything else. */
function instantOf(value: unknown): number | null {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) || new Date(time).toISOString() !== value ? null : time;
}

/** The earliest trade date (midnight UTC, in ms) a position recorded at `recordedAt` may state: the server's rule and the verifier's. */
export function earliestTradeTime(recordedAt: number): number {
  return Math.floor(recordedAt / DAY_MS) * DAY_MS - TRADE_DATE_GRACE_DAYS * DAY_MS;
}

/** Why a position's stated trade date breaks the server's rule, or null: not after its recording, not older than the grace days. */
function tradeDateProblem(entry: HashedPosition): string | null {
  const occurred = instantOf(entry.occurredAt);
  const recorded = instantOf(entry.recordedAt)!;
  if (occurred === null) return `its trade date ${JSON.stringify(entry.occurredAt)} is not an ISO 8601 UTC time`;
  if (occurred > recorded) return `its trade date ${entry.occurredAt} is after it was recorded (${entry.recordedAt})`;
  const earliest = earliestTradeTime(recorded);
  if (occurred < earliest) return `its trade date ${entry.occurredAt} is more than ${TRADE_DATE_GRACE_DAYS} days before it was recorded (${entry.recordedAt}): backdated`;
  return null;
}

export function isEmbargoedEntry(entry: unknown): entry is EmbargoedEntry {
  return (entry as { embargoed?: unknown }).embargoed === true;
}

export function isSectionEntry(entry: ChainEntry | Chained): entry is HashedSectionChange {
  return (entry as { kind?: unknown }).kind === 'section';
}

export function isPositionEntry(entry: ChainEntry | Chained): entry is HashedPosition {
  return (entry as { kind?: unknown }).kind === 'position';
}

/** The keys an entry's hash covers, by its kind; an entry without a `kind` key is a signal update. */
function chainedFieldsOf(entry: Chained): readonly string[] {
  if (isSectionEntry(entry)) return SECTION_CHAINED_FIELDS;
  if (isPositionEntry(entry)) return POSITION_CHAINED_FIELDS;
  return CHAINED_FIELDS;
}

/** Keys a record may carry beside the hashed ones: the hash itself, and a section change's texts (checked against their digests). */
const UNHASHED_KEYS: ReadonlySet<string> = new Set(['hash']);
const SECTION_UNHASHED_KEYS: ReadonlySet<string> = new Set(['hash', 'text', 'previousText', 'textSalt', 'previousTextSalt']);

/**
 * Why an entry's shape is not one this file defines, or null. A kind it does not know would be hashed
 * as a signal update and a key it does not hash would be shown unchecked, so both are refused.
 */
function shapeProblem(entry: object): string | null {
  const kind = (entry as { kind?: unknown }).kind;
  if (kind !== undefined && kind !== 'section' && kind !== 'position') {
    return `has kind ${JSON.stringify(kind)}, which this verifier does not know (signal updates carry no kind; "section" and "position" are the others)`;
  }
  const hashed = new Set<string>(chainedFieldsOf(entry as Chained));
  const unhashed = kind === 'section' ? SECTION_UNHASHED_KEYS : UNHASHED_KEYS;
  const extra = Object.keys(entry).filter((key) => !hashed.has(key) && !unhashed.has(key));
  return extra.length > 0 ? `carries ${extra.join(', ')}, which its hash does not cover` : null;
}

export function textDigest(text: string): string {
  return createHash(HASH_ALGORITHM).update(text, 'utf8').digest('hex');
}

/**
 * A members' section's digest: of a random salt (32 hex digits) followed by the text. The public sees
 * the digest; unsalted, anyone holding an earlier version of a section could confirm a guess of the
 * new one (a changed stop level) by hashing candidates. Members get the salt with the text (log.json).
 * Entries recorded before salting have no salt: their digest is of the text alone.
 */
export function sectionTextDigest(text: string, salt: string | undefined): string {
  return textDigest(salt === undefined ? text : `${salt}${text}`);
}

/** Whether a text the record carries (if any) has the digest; a salt, if given, must be 32 hex digits and comes with its text. */
function matchesDigest(text: unknown, salt: unknown, digest: string): boolean {
  if (salt !== undefined && (typeof salt !== 'string' || !/^[0-9a-f]{32}$/.test(salt) || text === undefined)) return false;
  if (text === undefined) return true;
  return typeof text === 'string' && sectionTextDigest(text, salt as string | undefined) === digest;
}

/**
 * Why an entry marked embargoed cannot be, or null: the export does not state its embargo, the entry's
 * reveal time is malformed or later than that embargo allows (the server only ever brings reveal times
 * forward, and refuses a longer embargo once a thesis has entries), or it is long past.
 */
function staleEmbargo(entry: EmbargoedEntry, recordedAt: number, options: VerifyOptions): string | null {
  const days = options.embargoDays;
  if (days === undefined || !Number.isInteger(days) || days < 0) {
    return 'is marked embargoed, but the export states no embargo (thesis.embargoDays, whole days) to check it against';
  }
  const latest = recordedAt + days * DAY_MS;
  let revealsAt = latest;
  if (entry.revealsAt !== undefined) {
    const stated = instantOf(entry.revealsAt);
    if (stated === null || stated < recordedAt) return `its revealsAt ${JSON.stringify(entry.revealsAt)} is not an ISO 8601 UTC time at or after recordedAt`;
    if (stated > latest) return `its revealsAt ${entry.revealsAt} is later than the export's ${days}-day embargo allows (${new Date(latest).toISOString()})`;
    revealsAt = stated;
  }
  if (options.now === undefined || options.now.getTime() - revealsAt <= STALE_EMBARGO_TOLERANCE_MS) return null;
  return `is still marked embargoed, though its embargo ended ${new Date(revealsAt).toISOString()}: a revealed entry is withheld`;
}

/** The exact text that is hashed: fixed key order, so the same update always gives the same bytes. */
export function canonicalJson(update: Chained): string {
  const fields = chainedFieldsOf(update);
  const values = update as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const field of fields) ordered[field] = values[field] ?? null;
  return JSON.stringify(ordered);
}

export function hashUpdate(update: Chained): string {
  return textDigest(canonicalJson(update));
}

export type ChainVerdict =
  | { ok: true; count: number; head: string }
  | { ok: false; count: number; brokenAt: number; index: number; reason: string };

/**
 * Walks the chain from the first update. Stops at the first broken link: a missing, reordered or
 * inserted update, a prevHash that does not name its predecessor, or content that no longer hashes
 * to the stored hash (an edited row). Only the first break is reported; everything after it is
 * untrusted anyway. With `allowEmbargoed` (a public export only), an entry still under embargo is
 * checked as a link (sequence, prevHash) and its hash taken as given; embargoed entries may only end
 * the chain. Nothing binds an embargoed entry's hash to its prevHash, so a head at or after one does
 * not vouch for the revealed entries before it (verify-log says so of such a witness).
 */
export interface VerifyOptions {
  /** A public export: entries under embargo may end the chain. */
  allowEmbargoed?: boolean;
  /** The time to check embargoes against (verify-log: now): an entry whose reveal time has passed must be revealed. */
  now?: Date;
  /** The export's embargo, for entries that do not state their reveal time. */
  embargoDays?: number;
}

export function verifyChain(updates: readonly (ChainEntry | EmbargoedEntry)[], options: VerifyOptions = {}): ChainVerdict {
  let previous = GENESIS_HASH;
  let previousRecordedAt: number | null = null;
  let firstEmbargoed: number | null = null;
  // Embargoed entries name no thesis: the first revealed one says whose record this is.
  const thesisId = updates.find((update): update is ChainEntry => typeof update === 'object' && update !== null && !isEmbargoedEntry(update))?.thesisId;
  for (const [index, update] of updates.entries()) {
    const broken = (reason: string): ChainVerdict => ({ ok: false, count: updates.length, brokenAt: index + 1, index, reason });
    // A downloaded file can hold anything: a non-object entry is a broken link, not a crash.
    if (typeof update !== 'object' || update === null) return broken('is not an update object');
    if (update.sequence !== index + 1) return broken(`expected sequence ${index + 1}, found ${String(update.sequence)}`);
    const recordedAt = instantOf(update.recordedAt);
    if (recordedAt === null) return broken(`recordedAt ${JSON.stringify(update.recordedAt)} is not an ISO 8601 UTC time (e.g. 2026-11-26T12:00:00.000Z)`);
    if (previousRecordedAt !== null && recordedAt < previousRecordedAt - RECORDED_AT_TOLERANCE_MS) {
      return broken(`was recorded at ${update.recordedAt}, before the entry it follows: entries are appended in time order`);
    }
    previousRecordedAt = Math.max(previousRecordedAt ?? recordedAt, recordedAt);
    if (options.now !== undefined && recordedAt > options.now.getTime() + STALE_EMBARGO_TOLERANCE_MS) {
      return broken(`was recorded at ${update.recordedAt}, after the time of this check: no record holds entries from the future`);
    }
    if (isEmbargoedEntry(update)) {
      // Members' log.json holds every entry in full: there, a content-less link would skip the hash check.
      if (!options.allowEmbargoed) return broken('is marked embargoed, which only a public record export may hold');
      // Fields beside the link would be read as content that was checked: they are not.
      const extra = Object.keys(update).filter((key) => !EMBARGOED_FIELDS.has(key));
      if (extra.length > 0) return broken(`an embargoed entry carries only its link (sequence, recordedAt, prevHash, hash), not ${extra.join(', ')}`);
      firstEmbargoed ??= update.sequence;
      if (update.prevHash !== previous) return broken(`prevHash ${String(update.prevHash)} does not match the previous hash ${previous}`);
      if (typeof update.hash !== 'string' || !/^[0-9a-f]{64}$/.test(update.hash)) return broken('an embargoed entry must carry its 64-digit hash');
      const embargoProblem = staleEmbargo(update, recordedAt, options);
      if (embargoProblem) return broken(embargoProblem);
      // Its hash cannot be recomputed yet; the next revealed entry's hash covers it through prevHash.
      previous = update.hash;
      continue;
    }
    // The server reveals a chain from its start (public-record.ts, revealedFlags): an entry hidden
    // before a revealed one is a revealed entry passed off as embargoed, e.g. a lost call withheld.
    if (firstEmbargoed !== null) return broken(`is revealed after #${firstEmbargoed}, which is under embargo: entries are revealed in order`);
    if (update.thesisId !== thesisId) return broken(`belongs to another thesis (${String(update.thesisId)})`);
    const problem = shapeProblem(update);
    if (problem) return broken(problem);
    if (update.prevHash !== previous) return broken(`prevHash ${String(update.prevHash)} does not match the previous hash ${previous}`);
    const expected = hashUpdate(update);
    if (update.hash !== expected) return broken(`content does not match its hash: stored ${String(update.hash)}, computed ${expected}`);
    if (isPositionEntry(update)) {
      const problem = tradeDateProblem(update);
      if (problem) return broken(problem);
    }
    if (isSectionEntry(update)) {
      // A record may leave the texts out; one it carries must be a string with the hashed digest (salted when a salt is given).
      const texts = update as { text?: unknown; previousText?: unknown; textSalt?: unknown; previousTextSalt?: unknown };
      if (!matchesDigest(texts.text, texts.textSalt, update.textSha256)) return broken('its text does not match textSha256');
      if (!matchesDigest(texts.previousText, texts.previousTextSalt, update.previousTextSha256)) {
        return broken('its previous text does not match previousTextSha256');
      }
    }
    previous = update.hash;
  }
  return { ok: true, count: updates.length, head: previous };
}
