import type { Db } from '../db/database.ts';
import { formatInstant } from '../http/dates.ts';
import { wordDiff } from './word-diff.ts';

/**
 * When each members' section of a thesis last changed after publication, by section key: for the
 * "Updated" note on the thesis page (members only). One query over the record's section entries.
 */
export async function latestSectionChanges(db: Db, thesisId: string): Promise<Map<string, Date>> {
  const rows = await db.signalUpdate.findMany({
    where: { thesisId, kind: 'section' },
    orderBy: { sequence: 'asc' },
    select: { sectionKey: true, recordedAt: true },
  });
  return new Map(rows.map((row) => [row.sectionKey ?? '', row.recordedAt]));
}

/**
 * Every recorded version of one members' section, newest first, and the text it had at publication
 * (the text before its first recorded change). Null when the record holds no change of that key.
 */
export async function sectionHistory(db: Db, thesisId: string, key: string) {
  const rows = await db.signalUpdate.findMany({
    where: { thesisId, kind: 'section', sectionKey: key },
    orderBy: { sequence: 'desc' },
    select: { sequence: true, sectionTitle: true, sectionText: true, previousSectionText: true, editorial: true, recordedAt: true, hash: true },
  });
  if (rows.length === 0) return null;
  return {
    title: rows[0].sectionTitle ?? key,
    versions: rows.map((row) => ({
      sequence: row.sequence,
      title: row.sectionTitle ?? key,
      text: row.sectionText ?? '',
      changes: wordDiff(row.previousSectionText ?? '', row.sectionText ?? '').map(({ kind, text }) => ({ text, added: kind === 'added', removed: kind === 'removed' })),
      editorial: row.editorial,
      recordedAt: row.recordedAt.toISOString(),
      recordedAtText: formatInstant(row.recordedAt),
      hash: row.hash,
    })),
    asPublished: rows.at(-1)!.previousSectionText ?? '',
  };
}
