import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLUG, startWarren, type Warren } from './support/harness.ts';
import { verifiedMember } from './support/payments.ts';
import { findSessionState, type SessionState } from '../server/accounts/sessions.repo.ts';
import { listen, SseClient } from './support/sse-client.ts';

const STREAM = `/theses/${DEMO_SLUG}/signals/stream`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('A signal stream whose client leaves while its request is still being checked', () => {
  let warren: Warren;
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    // One stream per member and per address: a single slot that is never given back shows at once.
    warren = await startWarren({ SIGNAL_STREAMS_PER_MEMBER: '1', SIGNAL_STREAMS_PER_IP: '1' });
    server = await listen(warren.app);
  });
  afterAll(async () => {
    await server.close();
    await warren.close();
  });

  it('When the client resets its socket before the stream starts, then the stream cap counts nothing for it', async () => {
    const { jwt } = await verifiedMember(warren, 'gone.early@example.com');
    const cookie = `warren_session=${jwt}`;
    const session = await warren.db.session.findFirstOrThrow({ where: { user: { email: 'gone.early@example.com' } }, orderBy: { createdAt: 'desc' } });
    // The session check waits on a database answer (a real round trip on PostgreSQL): held here until the client has gone.
    let answer!: (state: SessionState | null) => void;
    warren.deps.sessions.sessionStates.forget(session.id);
    void warren.deps.sessions.sessionStates.get(session.id, () => new Promise((resolve) => (answer = resolve)));

    const port = Number(new URL(server.url).port);
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET ${STREAM} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n\r\n`);
    await pause(50);
    socket.resetAndDestroy();
    await pause(50);
    answer(await findSessionState(warren.db, session.id));
    await pause(50);

    const next = await SseClient.open(server.url, STREAM, { Cookie: cookie });
    try {
      expect(next.status).toBe(200);
    } finally {
      next.close();
    }
  });
});
