// SQLite has one connection in Prisma's adapter: statements outside a transaction must not run inside
// whichever transaction is open (server/db/transaction-isolation.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './support/harness.ts';
import { openTestDatabase, type TestDatabase } from './support/test-database.ts';

describe('Statements outside a transaction on SQLite', () => {
  let database: TestDatabase;
  const clock = new TestClock();
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database?.destroy();
  });

  /** Runs a transaction that writes `email` and then waits for `release` before finishing. */
  function holdTransaction(email: string, outcome: 'commit' | 'rollback') {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const done = database.prisma
      .$transaction(async (tx) => {
        await tx.user.create({ data: { email, createdAt: clock.now() } });
        wrote();
        await released;
        if (outcome === 'rollback') throw new Error('rolled back on purpose');
      })
      .catch((error: Error) => error.message);
    return { written, release, done };
  }

  it('When a transaction is open, then a plain read waits for it and never sees its uncommitted rows', async () => {
    const held = holdTransaction('uncommitted@example.com', 'rollback');
    await held.written;
    const read = database.prisma.user.count({ where: { email: 'uncommitted@example.com' } });
    let answered = false;
    void read.then(() => (answered = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false); // still waiting for the transaction
    held.release();
    expect(await held.done).toBe('rolled back on purpose');
    expect(await read).toBe(0);
  });

  it('When a transaction rolls back, then a plain write made meanwhile is kept', async () => {
    const held = holdTransaction('rolled.back@example.com', 'rollback');
    await held.written;
    const write = database.prisma.user.create({ data: { email: 'meanwhile@example.com', createdAt: clock.now() } });
    held.release();
    await held.done;
    await write;
    expect(await database.prisma.user.count({ where: { email: 'meanwhile@example.com' } })).toBe(1);
    expect(await database.prisma.user.count({ where: { email: 'rolled.back@example.com' } })).toBe(0);
  });
});
