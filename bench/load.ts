// Runs autocannon in a separate process (bench/load-worker.mjs) and returns its figures; starts and
// runs the baselines, each in a process of its own too.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../server/paths.ts';

export interface LoadSpec {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  headers?: Record<string, string>;
  webhooks?: { secret: string; thesisId: string; amount: number; currency: string; prefix: string };
}

export interface LoadResult {
  rps: number;
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
  elapsedS: number;
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return runWorker<LoadResult>('load-worker.mjs', spec);
}

/** Runs `bench/<script>` with `spec` as its one JSON argument in a process of its own; returns the JSON line it prints last. */
export function runWorker<T>(script: string, spec: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bench', script), JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} failed (${code}): ${err}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T);
    });
  });
}

/**
 * Starts a bare node:http baseline in its own process (`bench/<script>` with `args`; it prints its
 * port once listening); returns its URL and a stop() that resolves once the process is gone.
 */
export function startBaseline(script: string, ...args: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bench', script), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited before listening (${code})`)));
    child.stdout.once('data', (chunk) =>
      resolve({
        url: `http://127.0.0.1:${String(chunk).trim()}`,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      }),
    );
  });
}
