import { LRUCache } from 'lru-cache';
import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';

/** The part of a better-sqlite3 statement the Prisma adapter uses (adapter 7.x: prepare → bind → run / raw().all()). */
interface Statement {
  readonly reader: boolean;
  columns(): unknown[];
  raw(toggle?: boolean): Statement;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
}

/**
 * Prisma's better-sqlite3 adapter prepares every statement again for every query; on the webhook
 * path that was ~9% of the server's CPU. This keeps the `size` most recently used prepared statements by SQL text
 * and hands the adapter a light view that binds the arguments at each run instead (better-sqlite3
 * binds a statement only once with bind()). Safe because better-sqlite3 is synchronous: a statement
 * is bound and run within one call, never interleaved. Tied to how the adapter calls the driver;
 * the whole test suite runs through it. A patch of library internals: see server/PATCHES.md.
 */
export function cachingStatements(factory: PrismaBetterSqlite3, size = 500): PrismaBetterSqlite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const client = (adapter as unknown as { client: { prepare(sql: string): Statement } }).client;
    const prepare = client.prepare.bind(client);
    const cache = new LRUCache<string, Statement>({ max: size });
    client.prepare = (sql: string) => {
      let statement = cache.get(sql);
      if (!statement) {
        statement = prepare(sql);
        cache.set(sql, statement);
      }
      return boundView(statement, []);
    };
    return adapter;
  };
  return factory;
}

function boundView(statement: Statement, args: unknown[]): Statement & { bind(args: unknown[]): Statement } {
  return {
    reader: statement.reader,
    bind: (bound: unknown[]) => boundView(statement, bound),
    columns: () => statement.columns(),
    raw: () => ({ ...boundView(statement, args), all: () => statement.raw(true).all(args) }),
    all: () => statement.raw(false).all(args),
    run: () => statement.run(args),
  };
}
