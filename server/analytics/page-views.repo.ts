import { Prisma, type Db } from '../db/database.ts';

export type PageKind = 'thesis' | 'buy';

/** Views and new unique visitors of one page kind of one thesis on one UTC day, gathered since the last write. */
export interface PageViewIncrement {
  day: string;
  thesisId: string;
  kind: PageKind;
  views: number;
  visitors: number;
}

/**
 * Adds the increments in one statement: each row is created or has its counts raised, never
 * overwritten, so every instance adds its own and the totals add up (one key appears once per batch,
 * as PostgreSQL's ON CONFLICT requires).
 */
export async function addPageViews(db: Db, increments: readonly PageViewIncrement[]): Promise<void> {
  if (increments.length === 0) return;
  const rows = increments.map((row) => Prisma.sql`(${row.day}, ${row.thesisId}, ${row.kind}, ${row.views}, ${row.visitors})`);
  await db.$executeRaw`
    INSERT INTO "PageViewDay" ("day", "thesisId", "kind", "views", "visitors") VALUES ${Prisma.join(rows)}
    ON CONFLICT ("day", "thesisId", "kind") DO UPDATE SET
      "views" = "PageViewDay"."views" + excluded."views",
      "visitors" = "PageViewDay"."visitors" + excluded."visitors"`;
}

/** Views and the sum of daily unique visitors per page kind of a thesis, from `fromDay` to `toDay` inclusive. */
export async function sumPageViews(db: Db, thesisId: string, fromDay: string, toDay: string): Promise<Record<PageKind, { views: number; visitors: number }>> {
  const groups = await db.pageViewDay.groupBy({
    by: ['kind'],
    where: { thesisId, day: { gte: fromDay, lte: toDay } },
    _sum: { views: true, visitors: true },
  });
  const of = (kind: PageKind) => {
    const group = groups.find((row) => row.kind === kind);
    return { views: group?._sum.views ?? 0, visitors: group?._sum.visitors ?? 0 };
  };
  return { thesis: of('thesis'), buy: of('buy') };
}
