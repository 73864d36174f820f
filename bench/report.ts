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
  const file = path.join(REPO_ROOT, 'bench/RESULTS.md');
  const text = `# Benchmark results

Written by \`npm run bench${info.quick ? ' -- --quick' : ''}\`; the last run overwrites it.

- date: ${new Date().toISOString()}
- machine: ${m.cores} cores (${m.cpu}), Node ${m.node}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB
- commit: ${m.commit}${m.dirty ? ' (with uncommitted changes)' : ''}
- database: ${info.database}
- run: ${info.quick ? 'quick (short loads, fewer streams and events)' : 'full'}

${table(rows)}

Ratios compare with a bare \`node:http\` server in its own process sending the same bytes, measured in
the same run with the same load (autocannon in a separate process, loopback). These machines are
shared, so absolute figures drift; the ratios are what to compare between runs.

${info.notes.map((note) => `- ${note}`).join('\n')}
`;
  writeFileSync(file, text);
  return file;
}
