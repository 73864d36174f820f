// `npm run db:migration -- <name>`: after editing prisma/schema.prisma, regenerates the postgres
// variant and both clients, then writes `<UTC YYYYMMDDHHMMSS>_<name>/migration.sql` into both
// prisma/migrations/sqlite and prisma/migrations/postgres.
//
// How the SQL is found, with no live database: next to each migration.sql we keep the datamodel it
// brings the database to (`schema.prisma.snapshot`, the provider's variant). The new migration is
// the engine's `diff` from the latest snapshot (or from nothing) to the current datamodel: a pure
// model-to-model diff. (Diffing from the migrations folder would need a shadow database, which on
// PostgreSQL means a live server able to CREATE DATABASE.) Caveat: hand-edit a generated
// migration.sql and the snapshot no longer describes it; edit the snapshot to match.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { ColumnTypeEnum, type SqlMigrationAwareDriverAdapterFactory, type SqlQuery } from '@prisma/driver-adapter-utils';
import { generate, POSTGRES_SCHEMA, SQLITE_SCHEMA } from './db-generate.ts';
import { loadMigrationList, migrationsDir } from '../server/db/migrate.ts';
import { NO_FILTERS, openSchemaEngine, type DbKind } from '../server/db/schema-engine.ts';

export const SNAPSHOT = 'schema.prisma.snapshot';
const KINDS = [
  { kind: 'sqlite', provider: 'sqlite', schemaFile: SQLITE_SCHEMA },
  { kind: 'postgres', provider: 'postgresql', schemaFile: POSTGRES_SCHEMA },
] as const;

/**
 * A PostgreSQL "connection" that answers only the version probe the engine sends when it starts;
 * a datamodel-to-datamodel diff sends nothing else. Anything more fails loudly.
 */
function offlinePostgres(): SqlMigrationAwareDriverAdapterFactory {
  const refuse = (what: string) => Promise.reject(new Error(`offline postgres adapter: unexpected ${what}`));
  const adapter = {
    provider: 'postgres' as const,
    adapterName: 'warren-offline-postgres',
    async queryRaw(q: SqlQuery) {
      if (!q.sql.includes('pg_namespace') || !q.sql.includes('version()')) return refuse(`query: ${q.sql}`);
      return {
        columnNames: ['exists', 'version', 'numeric_version'],
        columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
        rows: [[true, 'PostgreSQL 16.0', 160000]],
      };
    },
    executeRaw: (q: SqlQuery) => refuse(`statement: ${q.sql}`),
    executeScript: (s: string) => refuse(`script: ${s}`),
    startTransaction: () => refuse('transaction'),
    getConnectionInfo: () => ({ schemaName: 'public', supportsRelationJoins: true }),
    dispose: async () => {},
  };
  return {
    provider: 'postgres',
    adapterName: adapter.adapterName,
    connect: async () => adapter,
    connectToShadowDb: async () => adapter,
  };
}

/** SQL taking a `kind` database from datamodel `from` (null: empty) to `to`; null if nothing changes. */
export async function diffDatamodels(kind: DbKind, from: string | null, to: string): Promise<string | null> {
  const factory = kind === 'sqlite' ? new PrismaBetterSqlite3({ url: ':memory:' }) : offlinePostgres();
  const engine = await openSchemaEngine(kind, factory, to);
  try {
    const datamodel = (content: string) => ({ tag: 'schemaDatamodel' as const, files: [{ path: 'schema.prisma', content }] });
    const result = await engine.diff({
      from: from === null ? { tag: 'empty' } : datamodel(from),
      to: datamodel(to),
      script: true,
      exitCode: true, // 2 when there is a difference
      filters: NO_FILTERS,
    });
    if (result.exitCode !== 2) return null;
    // The diff names the adapter's schema ("public"); our PostgreSQL migrations run in whatever
    // schema search_path names (see server/db/migrate.ts), so drop that statement.
    return (result.stdout ?? '').replace(/^-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n+/m, '');
  } finally {
    engine.free();
  }
}

function utcStamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export async function createMigration(rawName: string): Promise<string | null> {
  const name = rawName.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!name) throw new Error('usage: npm run db:migration -- <name>');

  generate(); // prisma/postgres/schema.prisma and both clients

  const pending = [];
  for (const { kind, provider, schemaFile } of KINDS) {
    const list = loadMigrationList(kind);
    const latest = list.migrationDirectories.at(-1)?.path;
    let previous: string | null = null;
    if (latest) {
      const snapshot = path.join(list.baseDir, latest, SNAPSHOT);
      if (!existsSync(snapshot)) throw new Error(`${snapshot} is missing: cannot tell what ${latest} left behind`);
      previous = readFileSync(snapshot, 'utf8');
    }
    const datamodel = readFileSync(schemaFile, 'utf8');
    const sql = await diffDatamodels(kind, previous, datamodel);
    pending.push({ kind, provider, datamodel, sql, latest });
  }
  if (pending.every((p) => p.sql === null)) {
    console.log('No schema changes since the last migration: nothing created.');
    return null;
  }

  const folder = `${utcStamp()}_${name}`;
  // Migrations apply in name order: never sort before an existing one (e.g. clock skew).
  for (const p of pending) if (p.latest && folder <= p.latest) throw new Error(`${folder} would sort before ${p.latest}`);

  for (const { kind, provider, datamodel, sql } of pending) {
    const dir = migrationsDir(kind);
    mkdirSync(path.join(dir, folder), { recursive: true });
    writeFileSync(
      path.join(dir, 'migration_lock.toml'),
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`,
    );
    // Both folders always get the migration so the two histories stay parallel.
    writeFileSync(path.join(dir, folder, 'migration.sql'), sql ?? `-- No changes for ${kind}.\n`);
    writeFileSync(path.join(dir, folder, SNAPSHOT), datamodel);
    console.log(`Created prisma/migrations/${kind}/${folder}/migration.sql`);
  }
  return folder;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  createMigration(process.argv.slice(2).join('_')).catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
