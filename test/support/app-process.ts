import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startArguments } from '../../scripts/build.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** One real server process, as `npm start` runs it, with its JSON log lines kept. */
export interface AppProcess {
  url: string;
  port: number;
  /** Parsed JSON log lines written so far. */
  logs: Record<string, unknown>[];
  /** Raw stdout and stderr so far (for failure messages). */
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
  child: ChildProcess;
}

/** A port free right now (for APP_URL, which must be known before the process starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function postgresUrl(url: string, schema?: string): string {
  if (!schema) return url;
  const withSchema = new URL(url);
  withSchema.searchParams.set('schema', schema);
  return withSchema.toString();
}

/**
 * Starts what `npm start` runs (the bundle of server/main.ts, built by the test run's global setup)
 * with exactly this environment (plus PATH/HOME), and waits until it listens. `cwd` is where relative
 * paths land (the default SQLite file, the development mail folder, a `.env`).
 */
export async function startAppProcess(env: Record<string, string>, { cwd = ROOT }: { cwd?: string } = {}): Promise<AppProcess> {
  // The bundle's path is the repository's, wherever the process runs.
  const args = startArguments().map((arg) => (arg.startsWith('-') ? arg : path.resolve(ROOT, arg)));
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let raw = '';
  let pending = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      raw += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (typeof entry.port === 'number' && String(entry.msg).includes('listening')) resolve(entry.port);
        } catch {
          // Not a log line (the "Try Warren" block in development): kept in `raw`.
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (raw += chunk));
    void exited.then((code) => reject(new Error(`the server exited (${code}) before listening:\n${raw}`)));
  });
  const port = await listening;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    logs,
    output: () => raw,
    exited,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
