// `npm run backup [-- <file>]`: a consistent copy of the SQLite database, safe while the site runs.
// Default destination: data/backups/warren-<UTC timestamp>.db. PostgreSQL: see README (pg_dump).
import path from 'node:path';
import { sqliteFilePath } from '../server/db/adapter.ts';
import { backupSqlite } from '../server/ops/sqlite-backup.ts';

const url = process.env.DATABASE_URL || 'file:./data/warren.db';
if (!url.startsWith('file:')) {
  console.error('DATABASE_URL is not SQLite: back PostgreSQL up with pg_dump (see README, "Backups").');
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, 'Z');
const destination = process.argv[2] ?? path.join('data', 'backups', `warren-${stamp}.db`);

try {
  await backupSqlite(sqliteFilePath(url), destination);
  console.log(`Backup written and verified: ${destination}`);
} catch (err) {
  console.error(`Backup failed: ${(err as Error).message}`);
  process.exit(1);
}
