import type { Database } from '../db/database.ts';
import { loadMigrationList } from '../db/migrate.ts';
import type { ShutdownHooks } from './shutdown.ts';

export interface ReadinessReport {
  ready: boolean;
  checks: { database: string; migrations: string; mailWorker: string; process: string };
}

export interface ReadinessDeps {
  database: Pick<Database, 'kind' | 'prisma' | 'schema'>;
  mailWorkerRunning(): boolean;
  shutdown: Pick<ShutdownHooks, 'stopping'>;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Migrations this code ships with that the database has not recorded as finished. */
async function pendingMigrations({ kind, prisma, schema }: ReadinessDeps['database']): Promise<string[]> {
  // Raw SQL is not qualified by the adapter's schema option, so name the schema here.
  const table = kind === 'postgres' ? `${quoted(schema ?? 'public')}._prisma_migrations` : '_prisma_migrations';
  const rows = await prisma.$queryRawUnsafe<{ migration_name: string }[]>(
    `SELECT migration_name FROM ${table} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const applied = new Set(rows.map((row) => row.migration_name));
  return loadMigrationList(kind).migrationDirectories.map((dir) => dir.path).filter((name) => !applied.has(name));
}

/** /readyz: may this process take traffic? The database answers and is migrated, mail goes out, not stopping. */
export function createReadinessCheck(deps: ReadinessDeps): () => Promise<ReadinessReport> {
  return async () => {
    const checks: ReadinessReport['checks'] = { database: 'ok', migrations: 'ok', mailWorker: 'ok', process: 'ok' };
    try {
      await deps.database.prisma.$queryRawUnsafe('SELECT 1');
      try {
        const pending = await pendingMigrations(deps.database);
        if (pending.length) checks.migrations = `pending: ${pending.join(', ')}`;
      } catch {
        checks.migrations = 'no migration history';
      }
    } catch {
      checks.database = 'unreachable';
      checks.migrations = 'unknown';
    }
    if (!deps.mailWorkerRunning()) checks.mailWorker = 'stopped';
    if (deps.shutdown.stopping) checks.process = 'shutting down';
    return { ready: Object.values(checks).every((value) => value === 'ok'), checks };
  };
}
