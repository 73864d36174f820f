import type { Db } from '../db/database.ts';

/** Everything a visitor may see. Members' bodies and signal states are deliberately not selected. */
const publicLayer = {
  id: true,
  slug: true,
  series: true,
  subject: true,
  title: true,
  tagline: true,
  priceAmount: true,
  currency: true,
  publicBody: true,
  footer: true,
  publishedAt: true,
  updatedAt: true,
  stressTests: { orderBy: { position: 'asc' }, select: { argument: true, assumption: true, verdict: true } },
  signals: { orderBy: { position: 'asc' }, select: { title: true, description: true } },
  memberSections: { orderBy: { position: 'asc' }, select: { title: true, summary: true } },
} as const;

export type PublicThesis = NonNullable<Awaited<ReturnType<typeof findPublishedThesis>>>;
export type MembersLayer = Awaited<ReturnType<typeof findMembersLayer>>;

export function listPublishedTheses(db: Db, now: Date) {
  return db.thesis.findMany({
    where: { publishedAt: { lte: now } },
    orderBy: { publishedAt: 'desc' },
    select: { slug: true, series: true, subject: true, title: true, tagline: true, priceAmount: true, currency: true, publishedAt: true },
  });
}

export function findPublishedThesis(db: Db, slug: string, now: Date) {
  return db.thesis.findFirst({ where: { slug, publishedAt: { lte: now } }, select: publicLayer });
}

/** The paid layer: call only after the access decision said yes. */
export async function findMembersLayer(db: Db, thesisId: string) {
  const [memberSections, signals] = await Promise.all([
    db.memberSection.findMany({ where: { thesisId }, orderBy: { position: 'asc' }, select: { title: true, body: true } }),
    db.signal.findMany({ where: { thesisId }, orderBy: { position: 'asc' }, select: { title: true, status: true } }),
  ]);
  return { memberSections, signals };
}

export function findThesisForCheckout(db: Db, slug: string, now: Date) {
  return db.thesis.findFirst({
    where: { slug, publishedAt: { lte: now } },
    select: { id: true, slug: true, title: true, priceAmount: true, currency: true },
  });
}

export function findThesisById(db: Db, id: string) {
  return db.thesis.findUnique({ where: { id }, select: { id: true, slug: true, title: true, priceAmount: true, currency: true } });
}

/** The public layer whatever the publication date: the caller checks publishedAt (see thesis-cache.ts). */
export function findThesisBySlug(db: Db, slug: string) {
  return db.thesis.findUnique({ where: { slug }, select: publicLayer });
}
