import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { Db } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import { ContentError } from './thesis-content.ts';
import { exportThesisBySlug } from './markdown-file.ts';
import { checkEditorIndent } from './editor-indent-check.ts';
import type { ThesisWrites } from './thesis-writes.ts';

/** What a command works with: the writes as the site makes them (announced, members' sections recorded). */
export interface CommandDeps {
  db: Db;
  clock: Clock;
  thesisWrites: Pick<ThesisWrites, 'importThesis' | 'checkEditorIndent'>;
}

export const USAGE = `Usage:
  npm run thesis -- import <file.md> [--as <email>]   create a draft, or update the thesis with the file's slug
  npm run thesis -- export <slug> [file.md]           write the thesis as Markdown (to stdout without a file)
  npm run thesis -- check-indent [--fix] [--as <email>]
      list stored text the old editor indented (exit 1 if any); --fix removes it, one revision per thesis`;

/** Where a command prints (the running site hears of its writes through thesisWrites). */
type Io = { out: (text: string) => void; err: (text: string) => void };

/** The author named by `--as`, for the revisions a command writes. */
function authorOf(args: string[]): string {
  const asIndex = args.indexOf('--as');
  return asIndex >= 0 && args[asIndex + 1] ? args[asIndex + 1] : 'command line';
}

/**
 * `npm run thesis`: the same import and export the admin area offers, for writing offline, and the
 * check for text the old editor indented. Returns the process exit code; prints through `out`/`err`
 * so tests can read what it said.
 */
export async function runThesisCommand(deps: CommandDeps, args: string[], io: Io): Promise<number> {
  const { db, clock, thesisWrites } = deps;
  const [command, target, ...rest] = args;
  if (command === 'check-indent') return checkIndentCommand(deps, args.slice(1), io);
  if (command === 'import' && target) {
    const authorEmail = authorOf(rest);
    if (!existsSync(target)) {
      io.err(`There is no file ${target}.\n`);
      return 1;
    }
    try {
      const { slug, created } = await thesisWrites.importThesis(await readFile(target, 'utf8'), { authorEmail, at: clock.now() });
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

async function checkIndentCommand({ db, clock, thesisWrites }: CommandDeps, args: string[], io: Io): Promise<number> {
  const fix = args.includes('--fix') ? { authorEmail: authorOf(args), at: clock.now() } : null;
  // Only a fix writes (and is announced to the running site); the check alone reads.
  const { checked, indented } = fix ? await thesisWrites.checkEditorIndent({ fix }) : await checkEditorIndent(db, { fix: null });
  if (indented.length === 0) {
    io.out(`No stored text carries the old editor's indentation (theses checked: ${checked}).\n`);
    return 0;
  }
  for (const { slug, fields } of indented) {
    io.out(`${slug}: ${fields.map(({ field, indent }) => `${field} (${indent} spaces)`).join(', ')}${fix ? ': fixed' : ''}\n`);
  }
  if (fix) {
    io.out(`Theses fixed: ${indented.length} (of ${checked}); restoring the revision before a fix undoes it.\n`);
    return 0;
  }
  io.out(
    `Theses with text indented after its first line, as the old editor saved it: ${indented.length} (of ${checked}). ` +
      'Nothing was changed; check each field, then run again with --fix.\n',
  );
  return 1;
}
