import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';

/** Fails unless the file is an intact SQLite database holding Warren's migration history. */
export function verifySqliteBackup(file: string): void {
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`${file} is damaged: ${integrity}`);
    const history = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get() as { n: number };
    if (history.n !== 1) throw new Error(`${file} is not a Warren database (no migration history)`);
  } finally {
    db.close();
  }
}

/**
 * A consistent copy of a live database: SQLite's online backup API copies a snapshot page by page
 * while the site keeps reading and writing (writers are never blocked for the whole copy).
 */
export async function backupSqlite(sourceFile: string, destinationFile: string): Promise<void> {
  if (existsSync(destinationFile)) throw new Error(`${destinationFile} already exists; not overwriting a backup`);
  mkdirSync(path.dirname(path.resolve(destinationFile)), { recursive: true });
  const source = new Sqlite(sourceFile, { fileMustExist: true });
  try {
    await source.backup(destinationFile);
  } finally {
    source.close();
  }
  verifySqliteBackup(destinationFile);
}

/**
 * Replaces the database's content with a verified backup, through the same backup API (so the target's
 * journal stays coherent). The current content is kept beside it first, in case the wrong file was chosen.
 */
export async function restoreSqlite(backupFile: string, targetFile: string, keptCopy: string): Promise<void> {
  verifySqliteBackup(backupFile);
  if (existsSync(targetFile)) await backupSqlite(targetFile, keptCopy);
  mkdirSync(path.dirname(path.resolve(targetFile)), { recursive: true });
  const source = new Sqlite(backupFile, { readonly: true, fileMustExist: true });
  try {
    await source.backup(targetFile);
  } finally {
    source.close();
  }
}
