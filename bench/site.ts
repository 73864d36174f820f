// Starts Warren as production would run it, in a child process of its own, and measures it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { REPO_ROOT } from '../server/paths.ts';
import { startArguments } from '../scripts/build.ts';

export interface RunningSite {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first 200 on `/`. */
  startupMs: number;
  /** Resident set size of the server process, in MB. */
  rssMb(): number;
  /** The last few KB the server wrote (its log at LOG_LEVEL, and any crash). */
  stderrTail(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Spawns node with `npm start`'s arguments (on the bundle `npm run build` wrote; the runner builds
 * it first), without npm's extra parent process, so the pid measured is the server's own.
 * BENCH_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) adds node arguments, to profile it.
 */
export async function startSite(env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<RunningSite> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...startArguments()], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port), APP_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  // pino logs to stdout, crashes go to stderr: keep the tail of both.
  const keep = (chunk: Buffer) => (stderr = (stderr + chunk).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = started + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Warren exited during start-up (${child.exitCode}):\n${stderr}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Warren did not answer 200 within ${options.timeoutMs ?? 60_000} ms:\n${stderr}`);
    }
    const ok = await fetch(`${url}/`).then((res) => res.status === 200, () => false);
    if (ok) break;
    await sleep(10);
  }
  const startupMs = performance.now() - started;
  return {
    url,
    pid: child.pid!,
    startupMs,
    rssMb: () => rssMbOf(child.pid!),
    stderrTail: () => stderr,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}
