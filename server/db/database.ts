import { PrismaClient, Prisma } from './generated/sqlite/client.ts';
import { PrismaClient as PostgresPrismaClient } from './generated/postgres/client.ts';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { adapterFor, sqliteFilePath } from './adapter.ts';
import { applyMigrations } from './migrate.ts';

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
export async function openDatabase(databaseUrl: string, options: { schema?: string } = {}): Promise<Database> {
  const target = adapterFor(databaseUrl, options);
  if (target.kind === 'sqlite') mkdirSync(path.dirname(sqliteFilePath(databaseUrl)), { recursive: true });
  await applyMigrations(target.kind === 'sqlite' ? { kind: 'sqlite', adapterFactory: target.factory } : { kind: 'postgres', adapterFactory: target.factory });
  const prisma =
    target.kind === 'sqlite'
      ? new PrismaClient({ adapter: target.factory })
      : (new PostgresPrismaClient({ adapter: target.factory }) as unknown as PrismaClient);
  await prisma.$connect();
  return { kind: target.kind, prisma, schema: target.kind === 'postgres' ? target.schema : undefined, close: () => prisma.$disconnect() };
}

/** True when a write lost a race on a unique constraint (another request did the same work first). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error as { code: unknown }).code === 'P2002';
}
