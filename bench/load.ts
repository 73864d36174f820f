// Runs autocannon in a separate process (bench/load-worker.mjs) and returns its figures.
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
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bench/load-worker.mjs'), JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load worker failed (${code}): ${err}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult);
    });
  });
}

/** Starts the bare node:http baseline serving the captured pages; returns its URL and a stop(). */
export function startBaseline(pagesFile: string): Promise<{ url: string; stop(): void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bench/baseline-server.mjs'), pagesFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.once('error', reject);
    child.stdout.once('data', (chunk) =>
      resolve({ url: `http://127.0.0.1:${String(chunk).trim()}`, stop: () => child.kill('SIGTERM') }),
    );
  });
}
