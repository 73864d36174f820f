import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../server/db/database.ts';

export interface TestDatabase extends Database {
  /** The URL and schema the app would be given to reach this same database. */
  url: string;
  schema?: string;
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database per test file: a SQLite file in a temp folder, or (in the "postgres"
 * project) a schema of its own on TEST_DATABASE_URL, dropped afterwards.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  if (process.env.WARREN_TEST_DB === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is required for the postgres test project');
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const database = await openDatabase(url, { schema });
    return {
      ...database,
      url,
      schema,
      async destroy() {
        await database.prisma.$executeRawUnsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await database.close();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'warren-test-'));
  const url = `file:${path.join(dir, 'warren.db')}`;
  const database = await openDatabase(url);
  return {
    ...database,
    url,
    async destroy() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
