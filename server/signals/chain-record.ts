import type { Db } from '../db/database.ts';
import type { ThesisMeta } from '../catalog/thesis-lookup.repo.ts';
import { type ChainEntry, CHAINED_FIELDS, GENESIS_HASH, HASH_ALGORITHM, POSITION_CHAINED_FIELDS, SECTION_CHAINED_FIELDS, isPositionEntry, isSectionEntry } from './hash-chain.ts';
import { formatInstant } from '../http/dates.ts';
import { findChainHead, listUpdates, toChainEntry } from './signal-log.repo.ts';

export const LOG_FORMAT = 'warren-signal-log/1';
/** A record holding members' section changes: an older verify-log cannot check those links. */
export const LOG_FORMAT_WITH_SECTIONS = 'warren-signal-log/2';
/** A record holding position entries (kind 'position'): likewise beyond a verify-log older than them. */
export const LOG_FORMAT_WITH_POSITIONS = 'warren-signal-log/3';

function logFormatOf(updates: readonly ChainEntry[]): string {
  if (updates.some(isPositionEntry)) return LOG_FORMAT_WITH_POSITIONS;
  return updates.some(isSectionEntry) ? LOG_FORMAT_WITH_SECTIONS : LOG_FORMAT;
}

/**
 * What anyone may see of a thesis's record: how many updates and the latest hash with its time.
 * Never the content: the hash proves the record existed in this state, without revealing it.
 */
export async function publicChainRecord(db: Db, thesisId: string) {
  const head = await findChainHead(db, thesisId);
  if (!head) return { count: 0, countText: 'no update', hash: null, recordedAt: null, recordedAtText: null };
  return {
    count: head.sequence,
    countText: `${head.sequence} dated update${head.sequence === 1 ? '' : 's'}`,
    hash: head.hash,
    recordedAt: head.recordedAt.toISOString(),
    recordedAtText: formatInstant(head.recordedAt),
  };
}

export type PublicChainRecord = Awaited<ReturnType<typeof publicChainRecord>>;

/** The full record as members download it: every update with its hashes, and how to check them. */
export async function buildLogDocument(db: Db, thesis: ThesisMeta, appUrl: string) {
  const updates = (await listUpdates(db, thesis.id)).map(toChainEntry);
  const head = updates.at(-1);
  return {
    format: logFormatOf(updates),
    thesis: { slug: thesis.slug, title: thesis.title, url: `${appUrl}/theses/${thesis.slug}` },
    hashing: {
      algorithm: HASH_ALGORITHM,
      canonicalFields: CHAINED_FIELDS,
      sectionCanonicalFields: SECTION_CHAINED_FIELDS,
      positionCanonicalFields: POSITION_CHAINED_FIELDS,
      genesisPrevHash: GENESIS_HASH,
      rule:
        'hash = sha256 hex of JSON.stringify of an object with exactly canonicalFields in that order (dates ISO 8601 UTC, ' +
        'missing values null); for an entry with kind "section" (a members\' section changed after publication) the keys are ' +
        'sectionCanonicalFields instead, and text / previousText must have the sha256 hex textSha256 / previousTextSha256 ' +
        '(of textSalt + text / previousTextSalt + previousText when the entry carries salts); ' +
        'for an entry with kind "position" (the thesis\'s position entered or exited) they are positionCanonicalFields. ' +
        'The first update has prevHash = genesisPrevHash, each later one the hash of the one before. ' +
        'Check with: npm run verify-log -- <this file>',
    },
    head: head ? { count: updates.length, hash: head.hash, recordedAt: head.recordedAt } : { count: 0, hash: GENESIS_HASH, recordedAt: null },
    updates,
  };
}
