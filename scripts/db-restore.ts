// `npm run restore -- <backup file>`: puts a backup made by `npm run backup` back in place of the
// SQLite database. Stop the site first. The replaced content is kept as <db>.before-restore-<stamp>.
import { sqliteFilePath } from '../server/db/adapter.ts';
import { restoreSqlite } from '../server/ops/sqlite-backup.ts';

const url = process.env.DATABASE_URL || 'file:./data/warren.db';
const backup = process.argv[2];
if (!url.startsWith('file:')) {
  console.error('DATABASE_URL is not SQLite: restore PostgreSQL with pg_restore (see README, "Backups").');
  process.exit(2);
}
if (!backup) {
  console.error('Usage: npm run restore -- <backup file>');
  process.exit(2);
}
const target = sqliteFilePath(url);
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, 'Z');
const kept = `${target}.before-restore-${stamp}`;

try {
  await restoreSqlite(backup, target, kept);
  console.log(`Restored ${backup} into ${target}; the previous content is kept in ${kept}.`);
} catch (err) {
  console.error(`Restore failed: ${(err as Error).message}`);
  process.exit(1);
}
