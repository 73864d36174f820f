// Each patch of a library's internals (server/PATCHES.md) against the library as installed: the
// shape it relies on, and that the patch still takes effect. A failure here means the library
// changed under the patch: read PATCHES.md before touching either.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import express from 'express';
import compression from 'compression';
import Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlQuery } from '@prisma/driver-adapter-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachingStatements } from '../server/db/statement-cache.ts';
import { isolatingTransactions } from '../server/db/transaction-isolation.ts';
import { countStatements, countingQueries } from '../server/db/query-count.ts';
import { createPublicPageCache } from '../server/http/public-page-cache.ts';
import { TestClock } from './support/harness.ts';

const query = (sql: string, args: number[] = []): SqlQuery => ({ sql, args, argTypes: args.map(() => ({ scalarType: 'int', arity: 'scalar' })) });
const rowsOf = async (adapter: SqlDriverAdapter, sql: string, args: number[] = []) => (await adapter.queryRaw(query(sql, args))).rows;

describe('Patches of library internals, against the installed libraries', () => {
  const adapters: SqlDriverAdapter[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(adapters.splice(0).map((adapter) => adapter.dispose()));
  });
  async function connect(patch: (factory: PrismaBetterSqlite3) => PrismaBetterSqlite3) {
    const adapter = await patch(new PrismaBetterSqlite3({ url: ':memory:' })).connect();
    adapters.push(adapter);
    return adapter;
  }

  it('When the SQLite adapter connects, then it holds a better-sqlite3 client whose statements have what the statement cache uses', async () => {
    const adapter = await connect((factory) => factory);
    const client = (adapter as unknown as { client: unknown }).client;
    expect(client).toBeInstanceOf(Database);
    const statement = (client as Database.Database).prepare('SELECT 1 AS one');
    expect(typeof statement.reader).toBe('boolean');
    for (const method of ['bind', 'columns', 'raw', 'all', 'run'] as const) expect(typeof statement[method]).toBe('function');
  });

  it('When the same SQL runs twice with other arguments, then it is prepared once and each run binds its own arguments', async () => {
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    const adapter = await connect(cachingStatements);
    expect(await rowsOf(adapter, 'SELECT ? + 1 AS n', [1])).toEqual([[2]]);
    expect(await rowsOf(adapter, 'SELECT ? + 1 AS n', [41])).toEqual([[42]]);
    await adapter.executeRaw(query('CREATE TABLE t (n INTEGER)'));
    expect(await adapter.executeRaw(query('INSERT INTO t (n) VALUES (?)', [7]))).toBe(1);
    expect(await rowsOf(adapter, 'SELECT n FROM t')).toEqual([[7]]);
    expect(prepare.mock.calls.filter(([sql]) => sql === 'SELECT ? + 1 AS n')).toHaveLength(1);
  });

  it('When a transaction is open on the SQLite adapter, then a statement outside it waits and never sees its rows', async () => {
    const adapter = await connect((factory) => isolatingTransactions(cachingStatements(factory)));
    await adapter.executeRaw(query('CREATE TABLE t (n INTEGER)'));
    const transaction = await adapter.startTransaction();
    for (const method of ['commit', 'rollback', 'queryRaw', 'executeRaw'] as const) expect(typeof transaction[method]).toBe('function');
    await transaction.executeRaw(query('INSERT INTO t (n) VALUES (1)'));
    let outside: unknown;
    const read = rowsOf(adapter, 'SELECT count(*) FROM t').then((rows) => (outside = rows));
    await new Promise((resolve) => setImmediate(resolve));
    expect(outside).toBeUndefined();
    // What Prisma's client sends to end a transaction: the SQL, then the adapter's hook.
    await transaction.executeRaw(query('ROLLBACK'));
    await transaction.rollback();
    await read;
    expect(outside).toEqual([[0]]);
  });

  it('When statements run through the adapter, in a transaction or not, then query counting sees each one', async () => {
    const adapter = await connect((factory) => countingQueries(factory));
    await adapter.executeRaw(query('CREATE TABLE t (n INTEGER)'));
    const { statements } = await countStatements(async () => {
      await rowsOf(adapter, 'SELECT count(*) FROM t');
      const transaction = await adapter.startTransaction();
      await transaction.executeRaw(query('INSERT INTO t (n) VALUES (1)'));
      await transaction.executeRaw(query('COMMIT'));
      await transaction.commit();
    });
    expect(statements).toBe(3);
  });

  it("When the page cache wraps a response's write and end, then Node's methods are there and compression writes its bytes through them", async () => {
    expect(Object.getPrototypeOf(express.response)).toBe(http.ServerResponse.prototype);
    expect(http.ServerResponse.prototype.write).toHaveLength(3); // (chunk, encoding, callback)
    expect(http.ServerResponse.prototype.end).toHaveLength(3);
    // Not in @types/node 20, in Node since 15.13: the cache reads header names as the app cased them.
    expect(typeof (http.ServerResponse.prototype as unknown as { getRawHeaderNames?: unknown }).getRawHeaderNames).toBe('function');

    const pages = createPublicPageCache({ clock: new TestClock() });
    const page = 'A public page. '.repeat(200);
    const app = express();
    app.use(pages.middleware, compression());
    app.get('/', (_req, res) => res.set('Cache-Control', 'public, max-age=60').send(page));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    // Raw bytes as on the wire (supertest would decompress them).
    const gzipped = () =>
      new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
        http
          .get({ port, host: '127.0.0.1', path: '/', headers: { 'accept-encoding': 'gzip' }, agent: false }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    try {
      const rendered = await gzipped();
      expect(pages.size).toBe(1);
      const replayed = await gzipped();
      expect(replayed.encoding).toBe('gzip');
      expect(replayed.body.equals(rendered.body)).toBe(true);
      expect(gunzipSync(replayed.body).toString()).toBe(page);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
