import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { openDatabase, type Database } from '../server/db/database.ts';
import { DEMO_SLUG, signInByEmail, startInstance, startWarren, type Warren } from './support/harness.ts';
import { listen, SseClient } from './support/sse-client.ts';
import { verifiedMember } from './support/payments.ts';
import { ADMIN, buyAndSignIn, demoSignals, recordUpdate, signInAdmin, signInWithoutPurchase } from './support/signals.ts';

const STREAM = `/theses/${DEMO_SLUG}/signals/stream`;

describe('The live signal stream (Server-Sent Events)', () => {
  let warren: Warren;
  let server: Awaited<ReturnType<typeof listen>>;
  let admin: Awaited<ReturnType<typeof signInAdmin>>;
  let signals: Awaited<ReturnType<typeof demoSignals>>['signals'];
  let memberCookie: string;
  const clients: SseClient[] = [];

  const open = async (headers: Record<string, string> = {}, path = STREAM, base = server.url) => {
    const client = await SseClient.open(base, path, headers);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    // A short heartbeat, so the tests see it (and revocation) without waiting 15 seconds.
    warren = await startWarren({ ADMIN_EMAILS: ADMIN, SIGNAL_HEARTBEAT_MS: '50' });
    server = await listen(warren.app);
    ({ signals } = await demoSignals(warren));
    admin = await signInAdmin(warren);
    // Proven from the inbox: a 30-day session, which outlives the clock moves below.
    memberCookie = `warren_session=${(await verifiedMember(warren, 'member@example.com')).jwt}`;
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await server.close();
    await warren.close();
  });

  it('When a member is connected and the admin records an update, then it arrives as an event whose id is its sequence', async () => {
    const stream = await open({ Cookie: memberCookie });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-store, no-transform');
    expect(stream.headers['x-accel-buffering']).toBe('no');

    await recordUpdate(admin, { signalId: signals[0].id, status: 'strengthening', note: 'Price *cut* announced.' });
    await stream.until((client) => client.updates().length === 1, 'the first update');
    const [event] = stream.updates();
    const row = await warren.db.signalUpdate.findFirstOrThrow({ where: { sequence: 1 } });
    expect(event.id).toBe('1');
    expect(event.data).toMatchObject({
      sequence: 1,
      signalId: signals[0].id,
      status: 'strengthening',
      statusLabel: 'Strengthening',
      previousStatus: 'watching',
      moved: true,
      noteHtml: '<p>Price <em>cut</em> announced.</p>\n',
      hash: row.hash,
      summary: { confirming: 1, weakening: 0, movesTowardConfirmation: 1, updates: 1 },
    });
  });

  it('When a dropped connection comes back with Last-Event-ID, then it receives exactly the updates it missed, in order', async () => {
    await recordUpdate(admin, { signalId: signals[1].id, status: 'confirmed', note: 'Missed one.' });
    await recordUpdate(admin, { signalId: signals[2].id, status: 'weakening', note: 'Missed two.' });
    const resumed = await open({ Cookie: memberCookie, 'Last-Event-ID': '1' });
    await resumed.until((client) => client.updates().length === 2, 'the missed updates');
    expect(resumed.updates().map((event) => event.id)).toEqual(['2', '3']);
    expect(resumed.updates().map((event) => event.data.noteHtml)).toEqual(['<p>Missed one.</p>\n', '<p>Missed two.</p>\n']);

    // The page's first connection says where it stands with ?after=; nothing is replayed twice.
    const fromPage = await open({ Cookie: memberCookie }, `${STREAM}?after=2`);
    await fromPage.until((client) => client.updates().length === 1, 'the update after 2');
    await recordUpdate(admin, { signalId: signals[0].id, status: 'confirmed', note: 'Live again.' });
    await fromPage.until((client) => client.updates().length === 2, 'the live update');
    expect(fromPage.updates().map((event) => event.id)).toEqual(['3', '4']);
  });

  it('When a browser says it accepts compressed answers, then the stream is sent uncompressed, so events are not held in a compression buffer', async () => {
    const stream = await open({ Cookie: memberCookie, 'Accept-Encoding': 'gzip, deflate, br' });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-encoding']).toBeUndefined();
    await stream.until((client) => client.comments.includes('heartbeat'), 'a heartbeat, as it was written');
  });

  it('When nothing happens, then heartbeat comments keep the connection open', async () => {
    const stream = await open({ Cookie: memberCookie });
    await stream.until((client) => client.comments.filter((comment) => comment === 'heartbeat').length >= 2, 'two heartbeats');
    expect(stream.ended).toBe(false);
  });

  it('When a visitor or a reader who did not buy asks for the stream, then it is refused with no event stream', async () => {
    const anonymous = await open();
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers['content-type']).not.toContain('event-stream');
    const { cookie } = await signInWithoutPurchase(warren, 'reader@example.com');
    const reader = await open({ Cookie: cookie });
    expect(reader.status).toBe(403);
    await reader.until((client) => client.ended, 'the end');
    expect(reader.body).not.toContain('Missed one');
  });

  it('When a connected member loses access, then the stream tells them and closes, and cannot be reopened', async () => {
    const { cookie } = await buyAndSignIn(warren, 'revoked@example.com');
    const stream = await open({ Cookie: cookie });
    expect(stream.status).toBe(200);
    await stream.until((client) => client.comments.includes('heartbeat'), 'a heartbeat');
    const user = await warren.db.user.findUniqueOrThrow({ where: { email: 'revoked@example.com' } });
    await warren.db.entitlement.deleteMany({ where: { userId: user.id } });

    await stream.until((client) => client.ended, 'the stream to close');
    expect(stream.events.map((event) => event.event)).toContain('revoked');
    await recordUpdate(admin, { signalId: signals[3].id, status: 'failed', note: 'After revocation.' });
    expect(stream.body).not.toContain('After revocation');
    expect((await open({ Cookie: cookie })).status).toBe(403);
  });

  it('When the owner of the address a stranger paid with first signs in from the inbox, then the stranger\'s open stream closes', async () => {
    const { cookie } = await buyAndSignIn(warren, 'typed.address@example.com');
    const stream = await open({ Cookie: cookie });
    expect(stream.status).toBe(200);
    await stream.until((client) => client.comments.includes('heartbeat'), 'a heartbeat');
    await signInByEmail(warren, 'typed.address@example.com');

    await stream.until((client) => client.ended, 'the stream to close');
    await recordUpdate(admin, { signalId: signals[2].id, status: 'weakening', note: 'After the owner signed in.' });
    expect(stream.body).not.toContain('After the owner signed in');
  });

  it('When a session expires while its stream is open, then the stream closes', async () => {
    const { cookie } = await buyAndSignIn(warren, 'day.pass@example.com');
    const stream = await open({ Cookie: cookie });
    await stream.until((client) => client.comments.includes('heartbeat'), 'a heartbeat');
    warren.clock.advance(24 * 60 * 60 * 1000);
    await stream.until((client) => client.ended, 'the stream to close');
    expect(stream.events.map((event) => event.event)).toContain('revoked');
  });

  it('When the process is asked to stop, then open streams are ended so the browser reconnects elsewhere', async () => {
    const stream = await open({ Cookie: memberCookie });
    await stream.until((client) => client.comments.includes('heartbeat'), 'a heartbeat');
    await warren.shutdown.run(pino({ level: 'silent' }));
    await stream.until((client) => client.ended, 'the end of the stream');
    expect(stream.ended).toBe(true);
  });

  describe('across instances', () => {
    let otherDatabase: Database;
    let other: Awaited<ReturnType<typeof listen>>;
    beforeAll(async () => {
      // A second instance: its own connection to the same database, its own app and broadcaster.
      otherDatabase = await openDatabase(warren.database.url, { schema: warren.database.schema });
      other = await listen((await startInstance(warren, { database: otherDatabase })).app);
    });
    afterAll(async () => {
      await other.close();
      await otherDatabase.close();
    });

    it('When an update is recorded on one instance, then streams held by another instance receive it', async () => {
      const head = await warren.db.signalUpdate.count();
      const remote = await open({ Cookie: memberCookie }, STREAM, other.url);
      expect(remote.status).toBe(200);
      await remote.until((client) => client.comments.includes('heartbeat'), 'the stream to be live');
      await recordUpdate(admin, { signalId: signals[4].id, status: 'strengthening', note: 'Seen from the other instance.' });
      await remote.until((client) => client.updates().length === 1, 'the update from the other instance');
      expect(remote.updates()[0]).toMatchObject({ id: String(head + 1), data: { noteHtml: '<p>Seen from the other instance.</p>\n' } });
    });
  });
});
