// Maps a DATABASE_URL to the Prisma driver adapter factory for it (used by the app and by migrations).
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

export type DbKind = 'sqlite' | 'postgres';

export type DbAdapter =
  | { kind: 'sqlite'; factory: PrismaBetterSqlite3 }
  | { kind: 'postgres'; factory: PrismaPg; schema?: string };

/**
 * `file:<path>` → SQLite (path relative to the working directory);
 * `postgres://` / `postgresql://` → PostgreSQL. The PostgreSQL schema is `opts.schema`, else the URL's
 * `?schema=` parameter (Prisma's convention; removed before the URL reaches `pg`), else `public`.
 */
export function adapterFor(databaseUrl: string, opts: { schema?: string } = {}): DbAdapter {
  if (databaseUrl.startsWith('file:')) {
    return { kind: 'sqlite', factory: new PrismaBetterSqlite3({ url: databaseUrl }) };
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const url = new URL(databaseUrl);
    const schema = opts.schema ?? url.searchParams.get('schema') ?? undefined;
    url.searchParams.delete('schema');
    return {
      kind: 'postgres',
      factory: new PrismaPg(
        // search_path too, so raw SQL ($queryRaw, e.g. the outbox claim) finds the same tables as the client.
        { connectionString: url.toString(), ...(schema ? { options: `-c search_path="${schema.replace(/"/g, '')}"` } : {}) },
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
