import { PrismaClient, Prisma } from './generated/sqlite/client.ts';
import { PrismaClient as PostgresPrismaClient } from './generated/postgres/client.ts';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { adapterFor, sqliteFilePath } from './adapter.ts';
import { applyMigrations } from './migrate.ts';
import { countingQueries } from './query-count.ts';
import { isolatingTransactions } from './transaction-isolation.ts';
import { cachingStatements } from './statement-cache.ts';

/**
 * Both generated clients expose the same model API (one data model, two providers), so the rest of
 * the code is typed against the SQLite one.
 */
export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;
export { Prisma };

export interface Database {
  kind: 'sqlite' | 'postgres';
  prisma: Db;
  /** PostgreSQL schema the tables live in (undefined: `public`, or SQLite). */
  schema?: string;
  close(): Promise<void>;
}

/** Opens the database named by the URL and applies pending migrations before anything uses it. */
export async function openDatabase(databaseUrl: string, options: { schema?: string; countQueries?: boolean } = {}): Promise<Database> {
  const target = adapterFor(databaseUrl, options);
  if (target.kind === 'sqlite') mkdirSync(path.dirname(sqliteFilePath(databaseUrl)), { recursive: true });
  await applyMigrations(target.kind === 'sqlite' ? { kind: 'sqlite', adapterFactory: target.factory } : { kind: 'postgres', adapterFactory: target.factory });
  // Development only: statements per request are counted and logged (see query-count.ts).
  if (options.countQueries) countingQueries(target.factory);
  if (target.kind === 'sqlite') isolatingTransactions(cachingStatements(target.factory));
  const prisma =
    target.kind === 'sqlite'
      ? new PrismaClient({ adapter: target.factory })
      : (new PostgresPrismaClient({ adapter: target.factory }) as unknown as PrismaClient);
  await prisma.$connect();
  if (target.kind === 'sqlite') await tuneSqlite(prisma);
  return { kind: target.kind, prisma, schema: target.kind === 'postgres' ? target.schema : undefined, close: () => prisma.$disconnect() };
}

/**
 * WAL lets readers run while the one writer commits; synchronous=NORMAL syncs at checkpoints rather
 * than on every commit (still crash-safe in WAL: a power cut may lose only the last commits, never
 * corrupt the file); busy_timeout makes a second process wait for the lock instead of failing.
 * journal_mode is stored in the file; the others hold for this connection, the client's only one.
 */
async function tuneSqlite(prisma: Db): Promise<void> {
  await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await prisma.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await prisma.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
}

/**
 * True when a write lost a race on a unique constraint (another request did the same work first):
 * P2002 from a model query, or P2010 ("raw query failed") whose driver error is a unique violation,
 * from $executeRaw/$queryRaw (the hot payment path writes in raw SQL).
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error) || !('code' in error)) return false;
  const { code, meta } = error as { code: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  return code === 'P2002' || (code === 'P2010' && meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation');
}
