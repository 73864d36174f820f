import type { Db, Tx } from '../db/database.ts';
import type { ThesisContent } from './thesis-content.ts';

const contentSelect = {
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
  disclosurePosition: true,
  disclosurePositionSince: true,
  disclosureCompensation: true,
  disclosureStatement: true,
  recordEmbargoDays: true,
  publishedAt: true,
  archivedAt: true,
  revision: true,
  updatedAt: true,
  stressTests: { orderBy: { position: 'asc' }, select: { argument: true, assumption: true, verdict: true } },
  signals: { orderBy: { position: 'asc' }, select: { id: true, title: true, description: true } },
  memberSections: { orderBy: { position: 'asc' }, select: { title: true, summary: true, body: true } },
} as const;

export type StoredThesis = NonNullable<Awaited<ReturnType<typeof findThesisForEditing>>>;

/** Any thesis, whatever its state: for the admin area only. */
export function findThesisForEditing(db: Db | Tx, slug: string) {
  return db.thesis.findUnique({ where: { slug }, select: contentSelect });
}

/** Every thesis with its content, oldest first: for checks that go over all of them. */
export function listThesesForEditing(db: Db) {
  return db.thesis.findMany({ orderBy: { createdAt: 'asc' }, select: contentSelect });
}

export function contentOf(stored: StoredThesis): ThesisContent {
  const { id: _id, publishedAt: _p, archivedAt: _a, revision: _r, updatedAt: _u, ...content } = stored;
  return {
    ...content,
    disclosurePosition: content.disclosurePosition as ThesisContent['disclosurePosition'],
    taxBehavior: content.taxBehavior === 'inclusive' ? 'inclusive' : 'exclusive',
    stressTests: content.stressTests.map((item) => ({ ...item, verdict: item.verdict as ThesisContent['stressTests'][number]['verdict'] })),
  };
}

/**
 * Every thesis with its paid sales, newest first, for the admin list. Only 'paid', as on the desk: a
 * refunded, disputed or lost purchase is not revenue, and the part of a paid one the admin refunded
 * is taken off.
 */
export async function listThesesWithSales(db: Db) {
  const [theses, sales, partRefunds] = await Promise.all([
    db.thesis.findMany({
      orderBy: { createdAt: 'desc' },
      select: { id: true, slug: true, title: true, subject: true, publishedAt: true, archivedAt: true, currency: true },
    }),
    db.purchase.groupBy({ by: ['thesisId', 'currency'], where: { status: 'paid' }, _count: { _all: true }, _sum: { amount: true } }),
    db.adminRefund.findMany({ where: { status: 'succeeded', purchase: { status: 'paid' } }, select: { amount: true, currency: true, purchase: { select: { thesisId: true } } } }),
  ]);
  const refunded = (thesisId: string, currency: string) =>
    partRefunds.filter((row) => row.purchase.thesisId === thesisId && row.currency === currency).reduce((sum, row) => sum + row.amount, 0);
  return theses.map((thesis) => {
    const own = sales.filter((row) => row.thesisId === thesis.id);
    return {
      ...thesis,
      salesCount: own.reduce((sum, row) => sum + row._count._all, 0),
      revenue: own.map((row) => ({ amount: (row._sum.amount ?? 0) - refunded(thesis.id, row.currency), currency: row.currency })),
    };
  });
}

type Scalars = Omit<ThesisContent, 'stressTests' | 'signals' | 'memberSections'>;

function scalarsOf(content: ThesisContent): Scalars {
  const { stressTests: _s, signals: _g, memberSections: _m, ...scalars } = content;
  return scalars;
}

export async function insertThesis(tx: Tx, content: ThesisContent, now: Date) {
  const withPosition = <T>(items: T[]) => items.map((item, position) => ({ ...item, position }));
  return tx.thesis.create({
    data: {
      ...scalarsOf(content),
      revision: 1,
      createdAt: now,
      updatedAt: now,
      stressTests: { create: withPosition(content.stressTests) },
      signals: { create: withPosition(content.signals.map(({ title, description }) => ({ title, description }))) },
      memberSections: { create: withPosition(content.memberSections) },
    },
    select: { id: true, revision: true },
  });
}

/** Replaces a thesis's content and bumps its revision; signals are updated in place by id. */
export async function replaceContent(tx: Tx, thesisId: string, content: ThesisContent, now: Date) {
  const updated = await tx.thesis.update({
    where: { id: thesisId },
    data: { ...scalarsOf(content), revision: { increment: 1 }, updatedAt: now },
    select: { id: true, revision: true },
  });
  await tx.stressTestItem.deleteMany({ where: { thesisId } });
  await tx.stressTestItem.createMany({ data: content.stressTests.map((item, position) => ({ ...item, thesisId, position })) });
  await tx.memberSection.deleteMany({ where: { thesisId } });
  await tx.memberSection.createMany({ data: content.memberSections.map((item, position) => ({ ...item, thesisId, position })) });
  await replaceSignals(tx, thesisId, content.signals);
  return updated;
}

/**
 * Signals may carry history (status updates) keyed on their id, so they are never deleted and
 * recreated: kept ones are updated in place, new ones created, removed ones deleted (a database
 * that refuses the delete because of history makes the whole save fail, changing nothing).
 */
async function replaceSignals(tx: Tx, thesisId: string, signals: ThesisContent['signals']) {
  const existing = await tx.signal.findMany({ where: { thesisId }, select: { id: true } });
  const existingIds = new Set(existing.map((signal) => signal.id));
  const keptIds = new Set(signals.map((signal) => signal.id).filter((id): id is string => id !== null && existingIds.has(id)));
  // Park positions out of the way first: (thesisId, position) is unique and rows may swap places.
  for (const [index, signal] of existing.entries()) {
    await tx.signal.update({ where: { id: signal.id }, data: { position: -1 - index } });
  }
  const removed = existing.filter((signal) => !keptIds.has(signal.id)).map((signal) => signal.id);
  if (removed.length > 0) await tx.signal.deleteMany({ where: { id: { in: removed } } });
  for (const [position, signal] of signals.entries()) {
    const data = { title: signal.title, description: signal.description, position };
    if (signal.id !== null && keptIds.has(signal.id)) await tx.signal.update({ where: { id: signal.id }, data });
    else await tx.signal.create({ data: { ...data, thesisId } });
  }
}

export function bumpRevision(tx: Tx, thesisId: string, data: { publishedAt?: Date | null; archivedAt?: Date | null }, now: Date) {
  return tx.thesis.update({ where: { id: thesisId }, data: { ...data, revision: { increment: 1 }, updatedAt: now }, select: { id: true, revision: true } });
}

export function insertRevision(
  tx: Db | Tx,
  revision: { thesisId: string; number: number; authorEmail: string; summary: string; content: ThesisContent; at: Date },
) {
  return tx.thesisRevision.create({
    data: {
      thesisId: revision.thesisId,
      number: revision.number,
      authorEmail: revision.authorEmail,
      summary: revision.summary,
      snapshot: JSON.stringify(revision.content),
      createdAt: revision.at,
    },
  });
}

export function listRevisions(db: Db, thesisId: string) {
  return db.thesisRevision.findMany({
    where: { thesisId },
    orderBy: { number: 'desc' },
    select: { number: true, authorEmail: true, summary: true, createdAt: true },
  });
}

export function findRevision(db: Db | Tx, thesisId: string, number: number) {
  return db.thesisRevision.findUnique({ where: { thesisId_number: { thesisId, number } } });
}

export function findRedirect(db: Db | Tx, oldSlug: string) {
  return db.thesisSlugRedirect.findUnique({ where: { oldSlug }, select: { thesisId: true } });
}

/** Old slug → this thesis; a slug the thesis takes back stops redirecting. */
export async function recordSlugChange(tx: Tx, thesisId: string, oldSlug: string, newSlug: string, now: Date) {
  await tx.thesisSlugRedirect.deleteMany({ where: { oldSlug: newSlug, thesisId } });
  await tx.thesisSlugRedirect.upsert({ where: { oldSlug }, create: { oldSlug, thesisId, createdAt: now }, update: { thesisId } });
}
