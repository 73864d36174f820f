import { connect, type Socket } from 'node:net';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createLogger } from '../server/ops/logger.ts';
import { createSiteServer } from '../server/app.ts';
import { startWarren, type Warren } from './support/harness.ts';

function capturedLogger() {
  const lines: { level: number; msg: string; err?: unknown }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

/** What a raw socket received until the server closed it (or `giveUp` resolved first: 'still open'). */
function untilClosed(socket: Socket, giveUp: Promise<void>): Promise<string> {
  let received = '';
  socket.on('data', (chunk) => (received += chunk));
  socket.on('error', () => undefined); // a reset counts as closed
  return Promise.race([new Promise<string>((resolve) => socket.once('close', () => resolve(received))), giveUp.then(() => 'still open')]);
}

describe('Limits at the HTTP edge', () => {
  let warren: Warren;
  let server: Server | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    await warren.close();
  });

  /** The server main.ts runs, with the limits from the environment given. */
  async function serve(environment: Record<string, string>) {
    warren = await startWarren(environment);
    server = createSiteServer(warren.deps, warren.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    return (server.address() as AddressInfo).port;
  }

  async function openSocket(port: number): Promise<Socket> {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    await new Promise((resolve) => socket.once('connect', resolve));
    return socket;
  }

  it('When an address has a malformed percent-encoding (/theses/%), then 400 with a page saying so, logged at info, with no error line', async () => {
    const { logger, lines } = capturedLogger();
    warren = await startWarren({}, { logger });
    const page = await request(warren.app).get('/theses/%').expect(400);
    expect(page.text).toContain('This address is not valid');
    const json = await request(warren.app).get('/theses/%25%').set('Accept', 'application/json').expect(400);
    expect(json.body).toEqual({ error: expect.stringContaining('This address is not valid') });

    expect(lines.filter((line) => line.level >= 40)).toEqual([]);
    expect(lines.filter((line) => line.msg === 'malformed percent-encoding in the address')).toHaveLength(2);
    expect(lines.filter((line) => line.msg === 'request completed').map((line) => line.level)).toEqual([30, 30]);
  });

  it('When a client trickles a POST body, then the server answers 408 and closes the socket once HTTP_REQUEST_TIMEOUT_MS has passed', async () => {
    const port = await serve({ HTTP_REQUEST_TIMEOUT_MS: '400', HTTP_HEADERS_TIMEOUT_MS: '200' });
    const socket = await openSocket(port);
    socket.write('POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n');
    // One byte every 50 ms, for at most 100 bytes (5 s): far longer than the timeout allows.
    let sent = 0;
    const trickled = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (socket.destroyed || ++sent > 100) return (clearInterval(timer), resolve());
        socket.write('a');
      }, 50);
    });
    const received = await untilClosed(socket, trickled);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(100);
  });

  it('When HTTP_MAX_CONNECTIONS sockets are open, then the next one is closed unanswered; once one closes, a new one is served', async () => {
    const port = await serve({ HTTP_MAX_CONNECTIONS: '2' });
    const healthz = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const answered = (socket: Socket) => new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(String(chunk))));
    const held = [await openSocket(port), await openSocket(port)];
    for (const socket of held) {
      const answer = answered(socket);
      socket.write(healthz); // keep-alive: the connection stays open after its answer
      expect(await answer).toMatch(/^HTTP\/1\.1 200 /);
    }
    const refused = await openSocket(port);
    refused.write(healthz);
    expect(await untilClosed(refused, new Promise((resolve) => setTimeout(resolve, 5_000)))).toBe('');

    held[0].destroy();
    await new Promise((resolve) => held[0].once('close', resolve));
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: 'close' } });
    expect(res.status).toBe(200);
  });
});
