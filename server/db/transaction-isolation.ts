import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';

/**
 * Prisma's better-sqlite3 adapter has one connection, and only transactions take its lock: a
 * statement sent outside a transaction while one is open runs inside it. It would read rows not yet
 * committed (a receipt the mail worker then sends) and be rolled back with it (a write whose caller
 * was told it succeeded). Here such statements wait until no transaction is starting or open.
 * A plain client call inside a $transaction callback (not through `tx`) would wait for its own
 * transaction: the code never does that, and the whole suite runs through this.
 * A patch of library internals: see server/PATCHES.md.
 */
export function isolatingTransactions(factory: PrismaBetterSqlite3): PrismaBetterSqlite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter: SqlDriverAdapter = await connect();
    // Every transaction from the moment it asks for the lock until it commits or rolls back.
    const active = new Set<Promise<void>>();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      active.add(finished);
      const done = () => {
        active.delete(finished);
        finish();
      };
      let transaction: Transaction;
      try {
        transaction = await startTransaction(isolationLevel);
      } catch (error) {
        done();
        throw error;
      }
      const commit = transaction.commit.bind(transaction);
      const rollback = transaction.rollback.bind(transaction);
      transaction.commit = () => commit().finally(done);
      transaction.rollback = () => rollback().finally(done);
      return transaction;
    };
    const outsideTransactions = async () => {
      while (active.size > 0) await Promise.all(active);
    };
    const queryRaw = adapter.queryRaw.bind(adapter);
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.queryRaw = async (query: SqlQuery) => (await outsideTransactions(), queryRaw(query));
    adapter.executeRaw = async (query: SqlQuery) => (await outsideTransactions(), executeRaw(query));
    return adapter;
  };
  return factory;
}
