import type { Db } from '../db/database.ts';
import { countWords } from './word-count.ts';

/** Everything a visitor may see (members' section titles and summaries are added by findPublicLayer). Signal states are deliberately not selected. */
const publicLayer = {
  id: true,
  slug: true,
  series: true,
  subject: true,
  title: true,
  tagline: true,
  priceAmount: true,
  currency: true,
  taxBehavior: true,
  publicBody: true,
  publicClosing: true,
  membersExcerpt: true,
  footer: true,
  publishedAt: true,
  archivedAt: true,
  updatedAt: true,
  revision: true,
  disclosurePosition: true,
  disclosurePositionSince: true,
  disclosureCompensation: true,
  disclosureStatement: true,
  stressTests: { orderBy: { position: 'asc' }, select: { argument: true, assumption: true, verdict: true } },
  signals: { orderBy: { position: 'asc' }, select: { title: true, description: true } },
} as const;

export type PublicThesis = NonNullable<Awaited<ReturnType<typeof findPublicLayer>>>;

/** Live in the catalog, feed and sitemap: its publication time has come and it is not archived. */
const listed = (now: Date) => ({ publishedAt: { lte: now }, archivedAt: null });
export type MembersLayer = Awaited<ReturnType<typeof findMembersLayer>>;

export function listPublishedTheses(db: Db, now: Date) {
  return db.thesis.findMany({
    where: listed(now),
    orderBy: { publishedAt: 'desc' },
    select: { id: true, slug: true, series: true, subject: true, title: true, tagline: true, priceAmount: true, currency: true, taxBehavior: true, publishedAt: true },
  });
}

/**
 * Just enough of a thesis to pick its cached renders, and to tell whether its publication time has
 * come (isVisible). Archived theses are still pages: buyers keep reading them.
 */
export function findThesisPage(db: Db, slug: string) {
  return db.thesis.findUnique({ where: { slug }, select: { id: true, slug: true, revision: true, publishedAt: true } });
}

export type ThesisPage = Awaited<ReturnType<typeof findThesisPage>>;

export function isVisible(page: { publishedAt: Date | null }, now: Date): boolean {
  return page.publishedAt !== null && page.publishedAt <= now;
}

export async function findPublicLayer(db: Db, thesisId: string) {
  const thesis = await db.thesis.findUnique({
    where: { id: thesisId },
    // Bodies are read here only to be counted ("about 1,200 words"); none of their text is returned.
    select: { ...publicLayer, memberSections: { orderBy: { position: 'asc' }, select: { title: true, summary: true, body: true } } },
  });
  return thesis && { ...thesis, memberSections: thesis.memberSections.map(({ title, summary, body }) => ({ title, summary, words: countWords(body) })) };
}

/** The current slug of a thesis that used to answer at `oldSlug`, if it is visible now. */
export async function findRenamedSlug(db: Db, oldSlug: string, now: Date): Promise<string | null> {
  const redirect = await db.thesisSlugRedirect.findUnique({
    where: { oldSlug },
    select: { thesis: { select: { slug: true, publishedAt: true } } },
  });
  const thesis = redirect?.thesis;
  return thesis?.publishedAt && thesis.publishedAt <= now ? thesis.slug : null;
}

/** For feed.xml and sitemap.xml: the listed theses' public header, newest first. */
export function listFeedEntries(db: Db, now: Date) {
  return db.thesis.findMany({
    where: listed(now),
    orderBy: { publishedAt: 'desc' },
    select: { slug: true, subject: true, title: true, tagline: true, publishedAt: true, updatedAt: true },
  });
}

/** The paid layer: call only after the access decision said yes. */
export async function findMembersLayer(db: Db, thesisId: string) {
  const [memberSections, signals] = await Promise.all([
    db.memberSection.findMany({ where: { thesisId }, orderBy: { position: 'asc' }, select: { title: true, body: true } }),
    db.signal.findMany({ where: { thesisId }, orderBy: { position: 'asc' }, select: { id: true, title: true, status: true } }),
  ]);
  return { memberSections, signals };
}

export function findThesisForCheckout(db: Db, slug: string, now: Date) {
  return db.thesis.findFirst({
    // An archived thesis is no longer sold.
    where: { slug, ...listed(now) },
    select: { id: true, slug: true, title: true, priceAmount: true, currency: true, taxBehavior: true },
  });
}
