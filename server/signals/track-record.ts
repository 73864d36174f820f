import type { Db } from '../db/database.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { canReadMembersLayer } from '../access/access.ts';
import { listRecordTheses, type RecordThesis } from '../catalog/thesis-lookup.repo.ts';
import {
  GENESIS_HASH,
  HASH_ALGORITHM,
  CHAINED_FIELDS,
  POSITION_CHAINED_FIELDS,
  PUBLIC_RECORD_FORMAT,
  PUBLIC_RECORD_FORMAT_WITH_POSITIONS,
  SECTION_CHAINED_FIELDS,
  isPositionEntry,
} from './hash-chain.ts';
import { positionLines } from './position-summary.ts';
import { listChainLinks } from './signal-log.repo.ts';
import { exportEntry, recordEntryView, revealedFlags, type RecordVisibility } from './public-record.ts';
import { combineTallies, summaryView, tallyCalls } from './record-summary.ts';

/** The public sees what the embargo lets through; a member entitled to the thesis sees it live. */
async function visibilityFor(db: Db, thesis: RecordThesis, viewer: Viewer | null, now: Date): Promise<RecordVisibility> {
  const live = viewer !== null && (await canReadMembersLayer(db, viewer, thesis.id));
  return { embargoDays: thesis.recordEmbargoDays, now, live };
}

/** /record: every thesis the public has seen, its entries oldest first, and its calls counted. */
export async function loadTrackRecord(db: Db, viewer: Viewer | null, now: Date) {
  const theses = await Promise.all(
    (await listRecordTheses(db, now)).map(async (thesis) => {
      const [rows, visibility] = await Promise.all([listChainLinks(db, thesis.id), visibilityFor(db, thesis, viewer, now)]);
      // Counted from readable entries only: an embargoed move must not show in the counts either.
      const revealed = revealedFlags(rows, visibility);
      const readable = rows.filter((_row, index) => revealed[index]);
      const tally = tallyCalls(readable);
      return {
        tally,
        view: {
          slug: thesis.slug,
          title: thesis.title,
          subject: thesis.subject,
          archived: thesis.archivedAt !== null,
          embargoDays: thesis.recordEmbargoDays,
          live: visibility.live,
          summary: summaryView(tally),
          positions: positionLines(readable),
          entries: rows.map((row, index) => recordEntryView(row, visibility, revealed[index])),
        },
      };
    }),
  );
  return {
    theses: theses.map((thesis) => thesis.view),
    overall: summaryView(combineTallies(theses.map((thesis) => thesis.tally))),
    anyLive: theses.some((thesis) => thesis.view.live),
  };
}

/**
 * /record/<slug>.json: the whole chain in order, for anyone. The same for every reader (members have
 * log.json), so it can be cached and compared between people.
 */
export async function buildPublicExport(db: Db, thesis: RecordThesis, appUrl: string, now: Date) {
  const rows = await listChainLinks(db, thesis.id);
  const revealed = revealedFlags(rows, { embargoDays: thesis.recordEmbargoDays, now, live: false });
  const head = rows.at(-1);
  const updates = rows.map((row, index) => exportEntry(row, revealed[index], thesis.recordEmbargoDays));
  return {
    // A revealed position entry needs a verify-log that knows its fields; without one the format is as before.
    format: updates.some((entry) => !('embargoed' in entry) && isPositionEntry(entry)) ? PUBLIC_RECORD_FORMAT_WITH_POSITIONS : PUBLIC_RECORD_FORMAT,
    thesis: { slug: thesis.slug, title: thesis.title, url: `${appUrl}/theses/${thesis.slug}`, embargoDays: thesis.recordEmbargoDays },
    hashing: {
      algorithm: HASH_ALGORITHM,
      canonicalFields: CHAINED_FIELDS,
      sectionCanonicalFields: SECTION_CHAINED_FIELDS,
      positionCanonicalFields: POSITION_CHAINED_FIELDS,
      genesisPrevHash: GENESIS_HASH,
      rule:
        'Entries with "embargoed": true are still under the publisher\'s embargo until their revealsAt: check only that their ' +
        'prevHash is the previous entry\'s hash. For every other entry, hash = sha256 hex of JSON.stringify of an object with exactly canonicalFields in that ' +
        'order (sectionCanonicalFields for kind "section", whose texts are members\' content and appear only as their digests; ' +
        'positionCanonicalFields for kind "position", a position entered or exited), ' +
        'dates ISO 8601 UTC, missing values null. The first entry has prevHash = genesisPrevHash. ' +
        'Check with: npm run verify-log -- <this file> [--witness COUNT:HASH]',
    },
    head: head ? { count: rows.length, hash: head.hash, recordedAt: head.recordedAt.toISOString() } : { count: 0, hash: GENESIS_HASH, recordedAt: null },
    updates,
  };
}
