// `npm run db:migrate`: applies pending migrations to DATABASE_URL (default file:./data/warren.db).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { adapterFor, sqliteFilePath } from '../server/db/adapter.ts';
import { applyMigrations } from '../server/db/migrate.ts';

const url = process.env.DATABASE_URL || 'file:./data/warren.db';
const db = adapterFor(url);
if (db.kind === 'sqlite') mkdirSync(path.dirname(path.resolve(sqliteFilePath(url))), { recursive: true });

try {
  const applied =
    db.kind === 'sqlite'
      ? await applyMigrations({ kind: 'sqlite', adapterFactory: db.factory })
      : await applyMigrations({ kind: 'postgres', adapterFactory: db.factory });
  if (applied.length === 0) console.log(`${db.kind}: already up to date.`);
  for (const name of applied) console.log(`${db.kind}: applied ${name}`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
