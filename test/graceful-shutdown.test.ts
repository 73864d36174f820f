import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { drainOnSignal } from '../server/ops/graceful-shutdown.ts';
import { createShutdownHooks } from '../server/ops/shutdown.ts';

describe('Draining on SIGTERM', () => {
  it('When a stream is open, then its shutdown hook tells the client to reconnect, and everything closes in order before exit 0', async () => {
    // A stand-in for the live signal stream: one long-lived response per client.
    const streams = new Set<ServerResponse>();
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': open\n\n');
      streams.add(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hooks = createShutdownHooks();
    hooks.onShutdown('live streams', () => {
      for (const res of streams) res.end('event: reconnect\ndata: {}\n\n');
    });
    const order: string[] = [];
    let exitCode: number | undefined;
    const drain = drainOnSignal({
      server,
      logger: pino({ level: 'silent' }),
      hooks,
      background: [{ name: 'outbox worker', close: () => void order.push('outbox worker') }],
      resources: [
        { name: 'mail transport', close: () => void order.push('mail transport') },
        { name: 'database', close: () => void order.push('database') },
      ],
      exit: (code) => void (exitCode = code),
    });

    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`);
    const reader = res.body!.getReader();
    await reader.read(); // the stream is open
    const finished = Promise.all([drain('SIGTERM'), drain('SIGTERM')]);
    let received = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received += Buffer.from(chunk.value).toString();
    await finished;

    expect(received).toContain('event: reconnect');
    expect(hooks.stopping).toBe(true);
    expect(server.listening).toBe(false);
    expect(order).toEqual(['outbox worker', 'mail transport', 'database']);
    expect(exitCode).toBe(0);
  });
});
