import type { Tx } from '../db/database.ts';

/**
 * Whether a thesis has any entry on its hash-chained record. Implemented by signals, which sits
 * above publishing in the feature order; `server/deps.ts` passes it to `createThesisWrites`.
 */
export type RecordCheck = (tx: Tx, thesisId: string) => Promise<boolean>;

const ARCHIVE_INSTEAD =
  'Archive it instead: an archived thesis leaves the front page, the feed and the sitemap and is no longer sold, but keeps its record.';

const WITHDRAWN = {
  unpublish: 'it cannot go back to draft',
  schedule: 'its publication cannot be moved to a later date',
} as const;

/**
 * Why this status change would withdraw a public track record, or null. /record lists a thesis while
 * its publication date is reached; once the public has read entries there, unpublishing or
 * re-scheduling would remove them from /record, the overall tally and the export. Nothing on the
 * record is ever withdrawn.
 */
export async function recordWithdrawal(
  tx: Tx,
  thesis: { id: string; publishedAt: Date | null },
  action: keyof typeof WITHDRAWN,
  at: Date,
  hasRecord: RecordCheck,
): Promise<string | null> {
  const public_ = thesis.publishedAt !== null && thesis.publishedAt <= at;
  if (!public_ || !(await hasRecord(tx, thesis.id))) return null;
  return `status: this thesis has entries on its public track record (/record), so ${WITHDRAWN[action]}: nothing on the record is ever withdrawn. ${ARCHIVE_INSTEAD}`;
}
