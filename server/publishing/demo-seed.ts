import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import { demoPublisherLines, demoThesis } from './demo-thesis.ts';
import { contentOf, findThesisForEditing, insertRevision } from './publishing.repo.ts';

/**
 * Inserts the demo thesis only into a database that holds no thesis at all, so real content is
 * never touched; its footer and disclosure name `publisherName`. Returns whether it inserted.
 */
export async function seedDemoContentIfEmpty(db: Db, now: Date, publisherName: string): Promise<boolean> {
  if ((await db.thesis.count()) > 0) return false;
  const { stressTests, signals, memberSections, ...thesis } = demoThesis;
  const withPosition = <T>(items: T[]) => items.map((item, position) => ({ ...item, position }));
  try {
    const created = await db.thesis.create({
      data: {
        ...thesis,
        ...demoPublisherLines(publisherName),
        publishedAt: now,
        createdAt: now,
        updatedAt: now,
        stressTests: { create: withPosition(stressTests) },
        signals: { create: withPosition(signals) },
        memberSections: { create: withPosition(memberSections) },
      },
      select: { slug: true, revision: true, id: true },
    });
    // Revision 1, so the demo's history starts where every thesis's does.
    const stored = await findThesisForEditing(db, created.slug);
    await insertRevision(db, {
      thesisId: created.id,
      number: created.revision,
      authorEmail: 'demo content',
      summary: 'created (demo content)',
      content: contentOf(stored!),
      at: now,
    });
    return true;
  } catch (error) {
    // Another instance starting at the same moment seeded it first.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
