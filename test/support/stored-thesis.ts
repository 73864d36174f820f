import type { Db } from '../../server/db/database.ts';
import { contentOf, findThesisForEditing } from '../../server/publishing/publishing.repo.ts';

/** What is stored for a thesis (its content as one string, its revision, its history's length), to compare before and after. */
export async function storedThesisState(db: Db, slug: string) {
  const stored = await findThesisForEditing(db, slug);
  if (!stored) throw new Error(`no thesis ${slug}`);
  const revisions = await db.thesisRevision.count({ where: { thesisId: stored.id } });
  return { content: JSON.stringify(contentOf(stored)), revision: stored.revision, revisions, updatedAt: stored.updatedAt.toISOString() };
}
