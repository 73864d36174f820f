// The far end of the outbox scenario: an SMTP sink in its own process (smtp-sink-process.mjs);
// `arrivals` holds when each message was accepted, on this process's performance.now() clock, and
// `sizes` (same index) its size in bytes as received.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../server/paths.ts';

export class SmtpSink {
  readonly arrivals: number[] = [];
  readonly sizes: number[] = [];
  private child?: ChildProcess;
  url = '';

  start(): Promise<this> {
    return new Promise((resolve, reject) => {
      const child = fork(path.join(REPO_ROOT, 'bench/smtp-sink-process.mjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      this.child = child;
      child.once('error', reject);
      child.on('message', (message: { port?: number; arrival?: number; bytes?: number }) => {
        if (message.arrival !== undefined) {
          this.arrivals.push(message.arrival - performance.timeOrigin);
          this.sizes.push(message.bytes ?? 0);
        }
        if (message.port !== undefined) {
          this.url = `smtp://127.0.0.1:${message.port}`;
          resolve(this);
        }
      });
    });
  }

  /** Mean size in bytes of the messages received from index `from` on. */
  meanSize(from: number, to = this.sizes.length): number {
    const sizes = this.sizes.slice(from, to);
    return sizes.length === 0 ? 0 : sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
  }

  async close(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child!.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
