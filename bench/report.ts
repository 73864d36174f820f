// One table for the terminal and bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../server/paths.ts';

export interface Row {
  scenario: string;
  measured: string;
  baseline: string;
  ratio: string;
  target: string;
  /** true pass, false fail, null not measured (n/a). */
  pass: boolean | null;
}

const verdict = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? 'pass' : 'FAIL');

export function table(rows: Row[]): string {
  const header = ['scenario', 'measured', 'baseline (same run)', 'ratio', 'target', 'result'];
  const lines = rows.map((row) => [row.scenario, row.measured, row.baseline, row.ratio, row.target, verdict(row.pass)]);
  const widths = header.map((_, i) => Math.max(header[i].length, ...lines.map((line) => line[i].length)));
  const format = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [format(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}

export function machine(): { cores: number; cpu: string; node: string; commit: string; dirty: boolean } {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    // The results file itself is rewritten by every run: not a change to what was measured.
    dirty: git('status', '--porcelain', '--', 'server', 'views', 'public', 'prisma', 'bench', ':!bench/RESULTS.md').length > 0,
  };
}

export function writeResults(rows: Row[], info: { database: string; quick: boolean; notes: string[] }): string {
  const m = machine();
  // One file per database, so the SQLite and the PostgreSQL runs are both kept.
  const postgres = info.database.startsWith('PostgreSQL');
  const file = path.join(REPO_ROOT, postgres ? 'bench/RESULTS.postgres.md' : 'bench/RESULTS.md');
  const text = `# Benchmark results

Written by \`${postgres ? 'BENCH_DATABASE_URL=… ' : ''}npm run bench${info.quick ? ' -- --quick' : ''}\`; the last such run overwrites it.

- date: ${new Date().toISOString()}
- machine: ${m.cores} cores (${m.cpu}), Node ${m.node}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB
- commit: ${m.commit}${m.dirty ? ' (with uncommitted changes)' : ''}
- database: ${info.database}
- run: ${info.quick ? 'quick (short loads, fewer streams and events)' : 'full'}

${table(rows)}

Each ratio is Warren's figure over a baseline measured in the same run, on the same machine, that
does comparable fixed work without Warren's logic; every baseline runs in a process of its own:

- **Pages**: a bare \`node:http\` server sending the bytes Warren sent for that page, under the same
  load (autocannon in a separate process, loopback), in three rounds of half the load time that
  alternate baseline and Warren; the ratio is the median round's (all three are listed), since the
  baseline alone moved from 19,000 to 28,000 req/s between runs of one commit. The members' page (24 KB, rendered per request
  around its cached shell) is bound by the 2 cores the server shares with the load generator: the
  same commit measured 2,000 to 4,500 req/s from run to run (0.13 to 0.31 of its baseline; the
  server idle a third of the time under load), so its target is 0.10, under the slow mode.
- **Webhooks**: a bare \`node:http\` server (\`bench/baseline-webhooks.mjs\`) taking the same signed
  events at the same connections for the same time, parsing each and storing it with one insert in a
  transaction of its own, in the same kind of database through the same driver (SQLite: a file of its
  own with Warren's pragmas). No signature check, no purchase, entitlement or receipt, no batching.
  Target 0.04: Warren did 0.07–0.08 of it (SQLite, 2 shared cores, December 2026), so a change that
  makes the webhook path 2× slower fails it.
- **Outbox**: a bare loop (\`bench/baseline-outbox.mjs\`) sending as many messages as Warren's backlog,
  about as large as Warren's receipts, to the same SMTP sink through nodemailer with the pool Warren's
  worker uses (10 connections, 10 in flight), with one update of its row per message in the same kind
  of database. No claiming, templates or sign-in links. Both are bound mostly by SMTP, so the ratio is
  near 1 (0.8 in a full run, same machine); the target 0.45 fails a change that halves the rate.

These machines are shared, so absolute figures drift (the write rows' old absolute targets of
500 events/s and 300 msg/s passed or failed with the machine's load); the ratios are what to compare
between runs.

${info.notes.map((note) => `- ${note}`).join('\n')}
`;
  writeFileSync(file, text);
  return file;
}
