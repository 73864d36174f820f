// The runner's own connection to the site's database, to set up and verify. The site migrated it
// already; this opens a client without running migrations against a live server's database.
import { PrismaClient } from '../server/db/generated/sqlite/client.ts';
import { PrismaClient as PostgresPrismaClient } from '../server/db/generated/postgres/client.ts';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { adapterFor } from '../server/db/adapter.ts';
import type { Db } from '../server/db/database.ts';

export async function openBenchDatabase(databaseUrl: string): Promise<{ kind: 'sqlite' | 'postgres'; prisma: Db; close(): Promise<void> }> {
  const target = adapterFor(databaseUrl);
  const prisma =
    target.kind === 'sqlite'
      ? // A long busy timeout: the site is SQLite's one busy writer during the loads.
        new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: databaseUrl, timeout: 60_000 }) })
      : (new PostgresPrismaClient({ adapter: target.factory }) as unknown as Db);
  await prisma.$connect();
  return { kind: target.kind, prisma, close: () => prisma.$disconnect() };
}
