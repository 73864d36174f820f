// The far end of the outbox scenario: an SMTP sink in its own process (smtp-sink-process.mjs);
// `arrivals` holds when each message was accepted, on this process's performance.now() clock.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../server/paths.ts';

export class SmtpSink {
  readonly arrivals: number[] = [];
  private child?: ChildProcess;
  url = '';

  start(): Promise<this> {
    return new Promise((resolve, reject) => {
      const child = fork(path.join(REPO_ROOT, 'bench/smtp-sink-process.mjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      this.child = child;
      child.once('error', reject);
      child.on('message', (message: { port?: number; arrival?: number }) => {
        if (message.arrival !== undefined) this.arrivals.push(message.arrival - performance.timeOrigin);
        if (message.port !== undefined) {
          this.url = `smtp://127.0.0.1:${message.port}`;
          resolve(this);
        }
      });
    });
  }

  async close(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child!.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
