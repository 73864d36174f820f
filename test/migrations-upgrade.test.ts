import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterFor } from '../server/db/adapter.ts';
import { openDatabase, type Database } from '../server/db/database.ts';
import { applyMigrations, loadMigrationList } from '../server/db/migrate.ts';
import { PrismaClient } from '../server/db/generated/sqlite/client.ts';
import { PrismaClient as PostgresPrismaClient } from '../server/db/generated/postgres/client.ts';

/** A database of this test project's kind, empty, as its URL and the options openDatabase takes. */
function emptyDatabase() {
  if (process.env.WARREN_TEST_DB === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!;
    const schema = `upgrade_${randomBytes(6).toString('hex')}`;
    return { url, schema, cleanUp: (db: Database) => db.prisma.$executeRawUnsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`) };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'warren-upgrade-'));
  return { url: `file:${path.join(dir, 'warren.db')}`, schema: undefined, cleanUp: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Brings an empty database to the release before `migration` (that one and later ones pending). */
async function migrateUpTo(url: string, schema: string | undefined, migration: string): Promise<void> {
  const target = adapterFor(url, { schema });
  const list = loadMigrationList(target.kind);
  const before = { ...list, migrationDirectories: list.migrationDirectories.filter((dir) => dir.path < migration) };
  await (target.kind === 'sqlite'
    ? applyMigrations({ kind: 'sqlite', adapterFactory: target.factory }, before)
    : applyMigrations({ kind: 'postgres', adapterFactory: target.factory }, before));
}

function clientWithoutMigrations(url: string, schema: string | undefined): PrismaClient {
  const target = adapterFor(url, { schema });
  return target.kind === 'sqlite' ? new PrismaClient({ adapter: target.factory }) : (new PostgresPrismaClient({ adapter: target.factory }) as unknown as PrismaClient);
}

describe('Upgrading a database from an earlier release', () => {
  const opened: { db: Database; cleanUp: (db: Database) => Promise<unknown> }[] = [];
  afterEach(async () => {
    for (const { db, cleanUp } of opened.splice(0)) {
      await cleanUp(db);
      await db.close();
    }
  });

  it('When the site starts on a database holding data and pending migrations, then they apply and the data stays', async () => {
    const { url, schema, cleanUp } = emptyDatabase();
    const migrations = loadMigrationList(adapterFor(url).kind).migrationDirectories.map((dir) => dir.path);
    const latest = migrations.at(-1)!;
    await migrateUpTo(url, schema, latest);
    const before = clientWithoutMigrations(url, schema);
    // As the earlier release left it: SQLite in WAL mode (set by every start), a row written.
    if (!schema) await before.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await before.$executeRaw`INSERT INTO "User" ("id", "email", "createdAt") VALUES (${randomUUID()}, 'kept@example.com', ${new Date(0)})`;
    await before.$disconnect();

    const upgraded = await openDatabase(url, { schema });
    opened.push({ db: upgraded, cleanUp });
    const applied = await upgraded.prisma.$queryRawUnsafe<{ migration_name: string }[]>('SELECT migration_name FROM _prisma_migrations');
    expect(applied.map((row) => row.migration_name).sort()).toEqual(migrations);
    expect(await upgraded.prisma.user.count({ where: { email: 'kept@example.com' } })).toBe(1);
  });

  it('When the success-page fix is deployed, then every earlier session ends and proven addresses are recorded as such', async () => {
    const { url, schema, cleanUp } = emptyDatabase();
    const fix = loadMigrationList(adapterFor(url).kind).migrationDirectories.find((dir) => dir.path.endsWith('_success_sign_in'))!.path;
    await migrateUpTo(url, schema, fix);
    // The earlier release's rows, written in its columns only (no migration runs on this connection).
    const before = clientWithoutMigrations(url, schema);
    if (!schema) await before.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    const [member, payer] = [randomUUID(), randomUUID()];
    const at = new Date('2026-11-20T10:00:00Z');
    await before.$executeRaw`INSERT INTO "User" ("id", "email", "createdAt") VALUES (${member}, 'proven@example.com', ${at}), (${payer}, 'typed@example.com', ${at})`;
    await before.$executeRaw`INSERT INTO "SignInLink" ("id", "userId", "tokenHash", "nextPath", "expiresAt", "usedAt", "createdAt")
      VALUES (${randomUUID()}, ${member}, 'hash', '/', ${at}, ${at}, ${at})`;
    await before.$disconnect();

    const after = await openDatabase(url, { schema });
    opened.push({ db: after, cleanUp });
    const users = await after.prisma.user.findMany({ orderBy: { email: 'asc' }, select: { email: true, sessionVersion: true, emailVerifiedAt: true } });
    expect(users).toEqual([
      { email: 'proven@example.com', sessionVersion: 1, emailVerifiedAt: at },
      { email: 'typed@example.com', sessionVersion: 1, emailVerifiedAt: null },
    ]);
  });

  it('When the receipts migration runs on a database with purchases, then they are numbered W-000001 onwards in the order they were made, and the next purchase continues the series', async () => {
    const { url, schema, cleanUp } = emptyDatabase();
    const receipts = loadMigrationList(adapterFor(url).kind).migrationDirectories.find((dir) => dir.path.endsWith('_receipts'))!.path;
    await migrateUpTo(url, schema, receipts);
    const before = clientWithoutMigrations(url, schema);
    if (!schema) await before.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    const [buyer, thesis] = [randomUUID(), randomUUID()];
    const at = (day: number) => new Date(`2026-11-${String(day).padStart(2, '0')}T10:00:00Z`);
    await before.$executeRaw`INSERT INTO "User" ("id", "email", "createdAt") VALUES (${buyer}, 'early@example.com', ${at(1)})`;
    await before.$executeRaw`INSERT INTO "Thesis" ("id", "slug", "series", "subject", "title", "tagline", "priceAmount", "publicBody", "createdAt", "updatedAt")
      VALUES (${thesis}, 't', 's', 's', 'T', 't', 7500, '', ${at(1)}, ${at(1)})`;
    // Inserted out of order: the numbers follow when they were made.
    const [second, first] = [randomUUID(), randomUUID()];
    for (const [id, day] of [[second, 12], [first, 3]] as const) {
      await before.$executeRaw`INSERT INTO "Purchase" ("id", "checkoutSessionId", "userId", "thesisId", "amount", "currency", "createdAt")
        VALUES (${id}, ${`cs_${id}`}, ${buyer}, ${thesis}, 7500, 'cad', ${at(day)})`;
    }
    await before.$disconnect();

    const after = await openDatabase(url, { schema });
    opened.push({ db: after, cleanUp });
    const numbered = await after.prisma.receipt.findMany({ orderBy: { number: 'asc' } });
    expect(numbered).toEqual([
      { number: 'W-000001', purchaseId: first, issuedAt: at(3) },
      { number: 'W-000002', purchaseId: second, issuedAt: at(12) },
    ]);
    expect(await after.prisma.documentCounter.findMany({ orderBy: { series: 'asc' } })).toEqual([
      { series: 'credit-note', next: 1 },
      { series: 'receipt', next: 3 },
    ]);
  });
});
