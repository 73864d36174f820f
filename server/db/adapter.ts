// Maps a DATABASE_URL to the Prisma driver adapter factory for it (used by the app and by migrations).
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

/** Connections per instance unless the URL says `?connection_limit=N` (Prisma's convention). */
const DEFAULT_POOL_SIZE = 10;

export type DbKind = 'sqlite' | 'postgres';

export type DbAdapter =
  | { kind: 'sqlite'; factory: PrismaBetterSqlite3 }
  | { kind: 'postgres'; factory: PrismaPg; schema?: string };

/**
 * `file:<path>` → SQLite (path relative to the working directory);
 * `postgres://` / `postgresql://` → PostgreSQL. The PostgreSQL schema is `opts.schema`, else the URL's
 * `?schema=` parameter (Prisma's convention; removed before the URL reaches `pg`), else `public`;
 * `?connection_limit=` sizes the pool.
 */
export function adapterFor(databaseUrl: string, opts: { schema?: string } = {}): DbAdapter {
  if (databaseUrl.startsWith('file:')) {
    return { kind: 'sqlite', factory: new PrismaBetterSqlite3({ url: databaseUrl, timeout: 5000 }) };
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const url = new URL(databaseUrl);
    const schema = opts.schema ?? url.searchParams.get('schema') ?? undefined;
    // A sized pool per instance: N instances × connection_limit must stay under max_connections.
    const poolSize = Number(url.searchParams.get('connection_limit')) || DEFAULT_POOL_SIZE;
    url.searchParams.delete('schema');
    url.searchParams.delete('connection_limit');
    return {
      kind: 'postgres',
      factory: new PrismaPg(
        // search_path too, so raw SQL ($queryRaw, e.g. the outbox claim) finds the same tables as the client.
        {
          connectionString: url.toString(),
          max: poolSize,
          idleTimeoutMillis: 30_000,
          connectionTimeoutMillis: 5_000,
          ...(schema ? { options: `-c search_path="${schema.replace(/"/g, '')}"` } : {}),
        },
        schema ? { schema } : undefined,
      ),
      schema,
    };
  }
  throw new Error(`Unsupported DATABASE_URL (expected file:, postgres:// or postgresql://): ${databaseUrl.split('@').pop()}`);
}

/** The file path of a `file:` URL (without query string), for callers that must create its directory. */
export function sqliteFilePath(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, '').replace(/\?.*$/, '');
}
