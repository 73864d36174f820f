import type { Db } from '../db/database.ts';
import type { PageKey } from './page-defaults.ts';

export interface StoredPage {
  markdown: string;
  updatedAt: Date;
  updatedBy: string;
}

export function findStoredPage(db: Db, key: PageKey): Promise<StoredPage | null> {
  return db.sitePage.findUnique({ where: { key }, select: { markdown: true, updatedAt: true, updatedBy: true } });
}

export async function listStoredPages(db: Db): Promise<Map<string, StoredPage>> {
  const rows = await db.sitePage.findMany({ select: { key: true, markdown: true, updatedAt: true, updatedBy: true } });
  return new Map(rows.map(({ key, ...page }) => [key, page]));
}

export async function storePage(db: Db, key: PageKey, page: StoredPage): Promise<void> {
  await db.sitePage.upsert({ where: { key }, create: { key, ...page }, update: page });
}
