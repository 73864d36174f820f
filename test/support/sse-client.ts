import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** The app on a real port: streams need a live socket, which Supertest does not hand out. */
export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** A minimal EventSource for tests: records events, comments and the end of the stream as they arrive. */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  ended = false;
  body = '';
  private buffer = '';
  private waiters: (() => void)[] = [];

  private constructor(
    readonly status: number,
    readonly headers: http.IncomingHttpHeaders,
    private readonly request: http.ClientRequest,
  ) {}

  static open(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const request = http.get(`${baseUrl}${path}`, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
        const client = new SseClient(res.statusCode ?? 0, res.headers, request);
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.receive(chunk));
        res.on('end', () => client.finish());
        res.on('close', () => client.finish());
        resolve(client);
      });
      request.on('error', reject);
    });
  }

  private receive(chunk: string): void {
    this.body += chunk;
    this.buffer += chunk;
    let boundary: number;
    while ((boundary = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      const event: SseEvent = { event: 'message', data: '' };
      let isEvent = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          this.comments.push(line.slice(1).trim());
          continue;
        }
        if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('data: ')) event.data += line.slice(6);
        else continue;
        isEvent = true;
      }
      if (isEvent) this.events.push(event);
    }
    this.notify();
  }

  private finish(): void {
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves once the condition holds; fails if the stream ends first (unless the condition is the end). */
  async until(condition: (client: this) => boolean, what = 'the expected event'): Promise<void> {
    while (!condition(this)) {
      if (this.ended) throw new Error(`stream ended before ${what}; received: ${this.body.slice(0, 500)}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  updates(): { id?: string; data: Record<string, any> }[] {
    return this.events.filter((event) => event.event === 'signal-update').map((event) => ({ id: event.id, data: JSON.parse(event.data) }));
  }

  close(): void {
    this.request.destroy();
  }
}
