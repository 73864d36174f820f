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

/** What the public track record needs: an archived thesis keeps its record, so it is listed too. */
const recordThesis = { ...thesisMeta, subject: true, archivedAt: true, recordEmbargoDays: true } as const;

export type RecordThesis = NonNullable<Awaited<ReturnType<typeof findRecordThesis>>>;

/** Every thesis the public has seen (published, archived or not), oldest first. */
export function listRecordTheses(db: Db, now: Date) {
  return db.thesis.findMany({ where: { publishedAt: { lte: now } }, orderBy: { publishedAt: 'asc' }, select: recordThesis });
}

export function findRecordThesis(db: Db, slug: string, now: Date) {
  return db.thesis.findFirst({ where: { slug, publishedAt: { lte: now } }, select: recordThesis });
}

/** Every thesis with its price, drafts included, newest first: the admin's offers are priced against it. */
export function listThesisPrices(db: Db) {
  return db.thesis.findMany({ orderBy: { createdAt: 'desc' }, select: { ...thesisMeta, priceAmount: true, currency: true } });
}
