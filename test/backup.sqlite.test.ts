// SQLite file backups (PostgreSQL is backed up with pg_dump: see README). Runs in the sqlite project only.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteFilePath } from '../server/db/adapter.ts';
import { backupSqlite, restoreSqlite } from '../server/ops/sqlite-backup.ts';
import { buyThesis, startWarren, type Warren } from './support/harness.ts';

const run = promisify(execFile);

describe('Backing up and restoring the SQLite database', () => {
  let warren: Warren;
  let dir: string;
  beforeAll(async () => {
    warren = await startWarren();
    dir = mkdtempSync(path.join(tmpdir(), 'warren-backup-'));
  });
  afterAll(async () => {
    await warren.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const dbFile = () => sqliteFilePath(warren.database.url);
  const purchasesIn = (file: string) => {
    const db = new Sqlite(file, { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM Purchase').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('When `npm run backup` runs while the site is open, then it writes a verified copy holding the committed data', async () => {
    const { agent, sessionId } = await buyThesis(warren, 'backup.buyer@example.com');
    await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    const destination = path.join(dir, 'nightly.db');

    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/db-backup.ts', destination], {
      env: { PATH: process.env.PATH, DATABASE_URL: warren.database.url },
    });
    expect(stdout).toContain(`Backup written and verified: ${destination}`);
    expect(purchasesIn(destination)).toBe(1);
    // The site kept working during and after the copy.
    await buyThesis(warren, 'after.backup@example.com');
  });

  it('When a backup would overwrite an existing file, then it refuses', async () => {
    await expect(backupSqlite(dbFile(), path.join(dir, 'nightly.db'))).rejects.toThrow(/already exists/);
  });

  it('When a backup is restored, then the database holds its content again and the replaced content is kept aside', async () => {
    const snapshot = path.join(dir, 'before-second-purchase.db');
    await backupSqlite(dbFile(), snapshot);
    const { agent, sessionId } = await buyThesis(warren, 'later.buyer@example.com');
    await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    expect(purchasesIn(dbFile())).toBe(2);

    const kept = path.join(dir, 'kept.db');
    await restoreSqlite(snapshot, dbFile(), kept);
    expect(purchasesIn(dbFile())).toBe(1);
    expect(purchasesIn(kept)).toBe(2);
  });

  it('When the file to restore is not a Warren database, then nothing is replaced', async () => {
    const junk = path.join(dir, 'junk.db');
    const handle = new Sqlite(junk);
    handle.exec('CREATE TABLE t (x)');
    handle.close();
    await expect(restoreSqlite(junk, dbFile(), path.join(dir, 'unused.db'))).rejects.toThrow(/not a Warren database/);
    expect(existsSync(path.join(dir, 'unused.db'))).toBe(false);
    expect(purchasesIn(dbFile())).toBe(1);
  });
});
