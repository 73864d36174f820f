import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { Db } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import { ContentError } from './thesis-content.ts';
import { exportThesisBySlug, importThesis } from './markdown-file.ts';

export const USAGE = `Usage:
  npm run thesis -- import <file.md> [--as <email>]   create a draft, or update the thesis with the file's slug
  npm run thesis -- export <slug> [file.md]           write the thesis as Markdown (to stdout without a file)`;

/**
 * `npm run thesis`: the same import and export the admin area offers, for writing offline.
 * Returns the process exit code; prints through `out`/`err` so tests can read what it said.
 */
export async function runThesisCommand(
  db: Db,
  clock: Clock,
  args: string[],
  io: { out: (text: string) => void; err: (text: string) => void },
): Promise<number> {
  const [command, target, ...rest] = args;
  if (command === 'import' && target) {
    const asIndex = rest.indexOf('--as');
    const authorEmail = asIndex >= 0 && rest[asIndex + 1] ? rest[asIndex + 1] : 'command line';
    if (!existsSync(target)) {
      io.err(`There is no file ${target}.\n`);
      return 1;
    }
    try {
      const { slug, created } = await importThesis(db, await readFile(target, 'utf8'), { authorEmail, at: clock.now() });
      io.out(`${created ? 'Created draft' : 'Updated'} thesis "${slug}" from ${target}.\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      io.err(`Nothing was imported:\n  ${error.problems.join('\n  ')}\n`);
      return 1;
    }
  }
  if (command === 'export' && target) {
    const file = await exportThesisBySlug(db, target);
    if (file === null) {
      io.err(`There is no thesis with the slug "${target}".\n`);
      return 1;
    }
    if (rest[0]) {
      await writeFile(rest[0], file, 'utf8');
      io.out(`Wrote ${rest[0]}.\n`);
    } else {
      io.out(file);
    }
    return 0;
  }
  io.err(`${USAGE}\n`);
  return 2;
}
