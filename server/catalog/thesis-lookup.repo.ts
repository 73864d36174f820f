import type { Db } from '../db/database.ts';

/** The few facts other features need about a thesis: who it is and when it was published. */
const thesisMeta = { id: true, slug: true, title: true, publishedAt: true } as const;

export type ThesisMeta = NonNullable<Awaited<ReturnType<typeof findThesisMetaById>>>;

export function findThesisMetaById(db: Db, id: string) {
  return db.thesis.findUnique({ where: { id }, select: thesisMeta });
}

/** Published or not: for the admin area. */
export function findThesisMetaBySlug(db: Db, slug: string) {
  return db.thesis.findUnique({ where: { slug }, select: thesisMeta });
}

/** Only what visitors may reach: published, and not scheduled for later. */
export function findPublishedThesisMeta(db: Db, slug: string, now: Date) {
  return db.thesis.findFirst({ where: { slug, publishedAt: { lte: now } }, select: thesisMeta });
}

/** Every thesis, drafts included, newest first: for the admin area. */
export function listAllThesisMeta(db: Db) {
  return db.thesis.findMany({ orderBy: { createdAt: 'desc' }, select: thesisMeta });
}
