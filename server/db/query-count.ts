import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * Development aid against N+1 queries: counts the SQL statements each request sends and logs them.
 * The count lives in AsyncLocalStorage, so it follows the request (or any other piece of work)
 * through Prisma into the driver. A patch of library internals: see server/PATCHES.md.
 */
const currentCount = new AsyncLocalStorage<{ queries: number }>();

/** More than this on one request is worth a warning: it usually means a lookup inside a loop. */
const MANY_QUERIES = 10;

function counted<T extends SqlQueryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  const count = () => {
    const store = currentCount.getStore();
    if (store) store.queries++;
  };
  queryable.queryRaw = (query) => (count(), queryRaw(query));
  queryable.executeRaw = (query) => (count(), executeRaw(query));
  return queryable;
}

/** Wraps a driver adapter factory so every statement, in a transaction or not, is counted. */
export function countingQueries<F extends SqlDriverAdapterFactory>(factory: F): F {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter: SqlDriverAdapter = counted(await connect());
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => counted(await startTransaction(isolationLevel));
    return adapter;
  };
  return factory;
}

/** Logs `{ method, path, status, queries }` for each request (debug; warn above MANY_QUERIES). */
export function logQueryCounts(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const store = { queries: 0 };
    res.once('finish', () => {
      const entry = { method: req.method, path: req.originalUrl, status: res.statusCode, queries: store.queries };
      if (store.queries > MANY_QUERIES) logger.warn(entry, 'many queries for one request');
      else logger.debug(entry, 'queries per request');
    });
    currentCount.run(store, next);
  };
}

/** The statements `work` sends through a client opened with `countQueries` (tests hold code to a statement budget). */
export async function countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const store = { queries: 0 };
  const result = await currentCount.run(store, work);
  return { result, statements: store.queries };
}
