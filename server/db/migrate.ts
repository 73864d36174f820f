// Applies pending migrations from prisma/migrations/<kind> with the wasm schema engine, recording
// them in `_prisma_migrations` exactly like `prisma migrate deploy`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { REPO_ROOT } from '../paths.ts';
import { NO_FILTERS, openSchemaEngine, type DbKind, type MigrationList } from './schema-engine.ts';

export type MigrationTarget =
  | { kind: 'sqlite'; adapterFactory: SqlMigrationAwareDriverAdapterFactory }
  | { kind: 'postgres'; adapterFactory: PrismaPg };

export function migrationsDir(kind: DbKind): string {
  return path.join(REPO_ROOT, 'prisma', 'migrations', kind);
}

/** The migrations folder as the engine wants it: every `<name>/migration.sql`, sorted by name. */
export function loadMigrationList(kind: DbKind): MigrationList {
  const baseDir = migrationsDir(kind);
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  const names = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(path.join(baseDir, d.name, 'migration.sql')))
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(path.join(baseDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

/**
 * Applies the pending migrations of `migrationsList` (the whole folder unless told otherwise: an
 * upgrade test brings a database to an earlier release first); returns the names applied.
 */
export async function applyMigrations(target: MigrationTarget, migrationsList = loadMigrationList(target.kind)): Promise<string[]> {
  const { factory, close } = tracked(
    target.kind === 'postgres' ? await inSchema(target.adapterFactory) : target.adapterFactory,
  );
  // Nothing pending (every start but the first after a deploy): no engine, no migration lock, so a
  // command started beside the running site does not wait for (or trip over) the site's connection.
  const finished = await finishedMigrations(factory).catch(() => null);
  if (finished && migrationsList.migrationDirectories.every((dir) => finished.has(dir.path))) {
    await close();
    return [];
  }
  // applyMigrations reads only the migration files; the engine just needs a datasource to start.
  const datamodel = `datasource db {\n  provider = "${target.kind === 'sqlite' ? 'sqlite' : 'postgresql'}"\n}\n`;
  try {
    const engine = await openSchemaEngine(target.kind, factory, datamodel);
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({
        migrationsList,
        filters: NO_FILTERS,
      });
      return appliedMigrationNames;
    } finally {
      engine.free();
    }
  } finally {
    await close();
  }
}

/**
 * Names of the migrations recorded as applied; throws when the table does not exist yet. Its
 * connection is closed before the engine opens its own: left open, it made the engine's first write
 * on an existing SQLite file fail as busy.
 */
async function finishedMigrations(factory: SqlMigrationAwareDriverAdapterFactory): Promise<Set<string>> {
  const adapter = await factory.connect();
  try {
    const result = await adapter.queryRaw({
      sql: 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      args: [],
      argTypes: [],
    });
    return new Set(result.rows.map((row) => String(row[0])));
  } finally {
    await adapter.dispose();
  }
}

/**
 * engine.free() does not close the connections it opened. Close them ourselves: besides leaking a
 * pool, an open PostgreSQL session keeps holding Prisma's migration advisory lock, and the next
 * applyMigrations on that database would wait 10 s for it.
 */
function tracked(inner: SqlMigrationAwareDriverAdapterFactory) {
  const opened: SqlDriverAdapter[] = [];
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => keep(await inner.connect()),
    connectToShadowDb: async () => keep(await inner.connectToShadowDb()),
  };
  function keep(adapter: SqlDriverAdapter): SqlDriverAdapter {
    const dispose = adapter.dispose.bind(adapter);
    let closing: Promise<void> | undefined;
    adapter.dispose = () => (closing ??= dispose()); // the engine may dispose too: only once
    opened.push(adapter);
    return adapter;
  }
  const close = async () => {
    await Promise.allSettled(opened.map((a) => a.dispose()));
  };
  return { factory, close };
}

/**
 * The migration SQL names no schema (it runs wherever `search_path` points), and the engine keeps
 * `_prisma_migrations` the same way, whereas PrismaPg's `{ schema }` option only qualifies the
 * client's own queries. So: create the adapter's schema if missing, and open every connection the
 * engine uses with `search_path` set to it.
 */
async function inSchema(factory: PrismaPg): Promise<SqlMigrationAwareDriverAdapterFactory> {
  const probe = await factory.connect();
  const schema = probe.getConnectionInfo().schemaName ?? 'public';
  try {
    const found = await probe.queryRaw({
      sql: 'SELECT 1 FROM pg_namespace WHERE nspname = $1',
      args: [schema],
      argTypes: [{ scalarType: 'string', arity: 'scalar' }],
    });
    if (found.rows.length === 0) await probe.executeScript(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '""')}"`);
  } finally {
    await probe.dispose();
  }
  // Startup option `-c search_path="<schema>"` (libpq escapes spaces and backslashes with `\`).
  const value = `"${schema.replaceAll('"', '""')}"`.replace(/[\\ ]/g, (c) => `\\${c}`);
  const searchPath = `-c search_path=${value}`;
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      const pool = adapter.underlyingDriver();
      // PrismaPg creates a fresh pool per connect() (unless it was given an external pool, which
      // must then carry search_path itself); its clients are created lazily from these options.
      pool.options.options = [pool.options.options, searchPath].filter(Boolean).join(' ');
      return adapter;
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
