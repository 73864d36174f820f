import type { Tx } from '../db/database.ts';

/** The two numbered series: receipts ("W-000001") and credit notes ("C-000001"). */
export const SERIES = {
  receipt: { key: 'receipt', prefix: 'W' },
  creditNote: { key: 'credit-note', prefix: 'C' },
} as const;
export type Series = (typeof SERIES)[keyof typeof SERIES];

/** "W-000001": the prefix, a dash and at least six digits (the seventh appears after 999,999). */
export const documentNumber = (series: Series, sequence: number) => `${series.prefix}-${String(sequence).padStart(6, '0')}`;

/** A well-formed receipt number, e.g. "W-000042" (anything else is a 404 before any lookup). */
export const RECEIPT_NUMBER = /^W-\d{6,9}$/;

/**
 * Takes the next `count` numbers of a series inside the caller's transaction and returns them in
 * order. One atomic upsert: on PostgreSQL it locks the counter row until the transaction ends, so
 * concurrent issuers queue and none reads a stale value; on SQLite the one writer does the same. A
 * transaction that rolls back takes its increment with it, so the series has no gap and no repeat.
 * (Upsert rather than update, so a database whose counter row is missing starts at 1.)
 */
export async function takeNumbers(tx: Tx, series: Series, count: number): Promise<string[]> {
  if (count === 0) return [];
  const [row] = await tx.$queryRaw<{ last: number | bigint }[]>`
    INSERT INTO "DocumentCounter" ("series", "next") VALUES (${series.key}, ${count + 1})
    ON CONFLICT ("series") DO UPDATE SET "next" = "DocumentCounter"."next" + ${count}
    RETURNING "next" - 1 AS "last"`;
  const last = Number(row!.last);
  return Array.from({ length: count }, (_, n) => documentNumber(series, last - count + 1 + n));
}
