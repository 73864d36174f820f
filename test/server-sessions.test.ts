import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { openDatabase, type Database } from '../server/db/database.ts';
import { loadConfig } from '../server/config.ts';
import { APP_URL, DEMO_SLUG, expectStatus, startInstance, startWarren, submitForm, type Warren } from './support/harness.ts';
import { verifiedMember } from './support/payments.ts';
import { sessionCookie } from './support/signals.ts';
import { listen, SseClient } from './support/sse-client.ts';

const THESIS = `/theses/${DEMO_SLUG}`;
const STREAM = `${THESIS}/signals/stream`;
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const DAY_MS = 24 * 60 * 60 * 1000;

describe('Sessions recorded on the server', () => {
  let warren: Warren;
  let here: Awaited<ReturnType<typeof listen>>;
  // A second instance on the same database, with caches (and a broadcaster) of its own.
  let otherDatabase: Database;
  let other: Awaited<ReturnType<typeof startInstance>>;
  let otherApp: typeof warren.app;
  let there: Awaited<ReturnType<typeof listen>>;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    // The longest heartbeat: a stream that closes within these tests was closed by the sign-out itself.
    warren = await startWarren({ SIGNAL_HEARTBEAT_MS: '60000' });
    here = await listen(warren.app);
    otherDatabase = await openDatabase(warren.database.url, { schema: warren.database.schema });
    other = await startInstance(warren, { database: otherDatabase });
    otherApp = other.app;
    there = await listen(otherApp);
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await Promise.all([here.close(), there.close()]);
    await other.close();
    await otherDatabase.close();
    await warren.close();
  });

  /** Signs in by the e-mailed link in a browser of its own (the address must have an account). */
  async function signInBrowser(email: string, userAgent: string) {
    const agent = request.agent(warren.app).set('User-Agent', userAgent);
    // One sign-in mail per address per minute: the next browser asks a little later.
    warren.clock.advance(2 * 60 * 1000);
    await warren.deliverMail();
    expectStatus(await submitForm(agent, '/login', '/login', { email, next: '/' }), 200);
    await warren.deliverMail();
    const link = warren.inbox.latestLink(email, warren.config.appUrl);
    const token = new URL(link, APP_URL).searchParams.get('token')!;
    const confirm = expectStatus(await submitForm(agent, link, '/login/verify', { token }), 303);
    return { agent, cookie: sessionCookie(confirm.headers['set-cookie']) };
  }

  async function member(email: string) {
    const { agent, jwt } = await verifiedMember(warren, email);
    return { agent, cookie: `warren_session=${jwt}` };
  }

  const reads = async (app: typeof otherApp, cookie: string) => {
    const page = await request(app).get(THESIS).set('Cookie', cookie).expect(200);
    return page.text.includes('id="members-layer"');
  };

  async function openStream(base: string, cookie: string) {
    const client = await SseClient.open(base, STREAM, { Cookie: cookie });
    clients.push(client);
    return client;
  }

  async function liveStream(base: string, cookie: string) {
    const client = await openStream(base, cookie);
    expect(client.status).toBe(200);
    await client.until((c) => c.body.includes('retry:'), 'the stream to start');
    return client;
  }

  const sessionsOf = async (email: string) =>
    warren.db.session.findMany({ where: { user: { email } }, orderBy: { createdAt: 'asc' } });

  it('When a member signs out, then a copy of the cookie reads nothing here or on another instance, and its open streams close', async () => {
    const email = 'leaves@example.com';
    const { agent, cookie } = await member(email);
    expect(await reads(warren.app, cookie)).toBe(true);
    expect(await reads(otherApp, cookie)).toBe(true); // now remembered there
    const streamHere = await liveStream(here.url, cookie);
    const streamThere = await liveStream(there.url, cookie);

    const out = expectStatus(await submitForm(agent, '/account', '/logout'), 303);
    expect(String(out.headers['set-cookie'])).toMatch(/warren_session=;/);

    expect(await reads(warren.app, cookie)).toBe(false);
    expect((await request(warren.app).get('/account').set('Cookie', cookie)).status).toBe(303);
    await streamHere.until((c) => c.ended, 'the stream here to close');
    expect(streamHere.events.map((event) => event.event)).toContain('revoked');
    await other.deps.changes.poll(); // the other instance's next poll
    expect(await reads(otherApp, cookie)).toBe(false);
    await streamThere.until((c) => c.ended, 'the stream there to close');
    expect((await openStream(here.url, cookie)).status).toBe(403);
    expect((await sessionsOf(email)).map((session) => session.revokedAt)).toEqual([warren.clock.now()]);
  });

  it('When a member signs out everywhere, then every browser\'s cookie reads nothing on either instance, and their streams close', async () => {
    const email = 'everywhere@example.com';
    const first = await member(email);
    const second = await signInBrowser(email, SAFARI_IPHONE);
    for (const { cookie } of [first, second]) {
      expect(await reads(warren.app, cookie)).toBe(true);
      expect(await reads(otherApp, cookie)).toBe(true);
    }
    const streamHere = await liveStream(here.url, second.cookie);
    const streamThere = await liveStream(there.url, second.cookie);

    const out = expectStatus(await submitForm(first.agent, '/account', '/account/sign-out-everywhere'), 303);
    expect(out.headers.location).toBe('/login?next=%2Faccount');

    await streamHere.until((c) => c.ended, 'the stream here to close');
    await other.deps.changes.poll();
    await streamThere.until((c) => c.ended, 'the stream there to close');
    for (const { cookie } of [first, second]) {
      expect(await reads(warren.app, cookie)).toBe(false);
      expect(await reads(otherApp, cookie)).toBe(false);
    }
    expect((await sessionsOf(email)).every((session) => session.revokedAt !== null)).toBe(true);
  });

  it('When a member opens /account, then it lists their sessions with device, sign-in and last use, and signs one out', async () => {
    const email = 'lists@example.com';
    await member(email);
    const laptop = await signInBrowser(email, FIREFOX_LINUX);
    const phone = await signInBrowser(email, SAFARI_IPHONE);

    const page = await laptop.agent.get('/account').expect(200);
    expect(page.text).toContain('Firefox on Linux <strong>(this browser)</strong>');
    expect(page.text).toContain('Safari on iPhone</td>');
    expect(page.text).toContain('Sign out<span class="visually-hidden"> Safari on iPhone</span>');
    const phoneSession = (await sessionsOf(email)).at(-1)!;
    expect(page.text).toContain(`action="/account/sessions/${phoneSession.id}/sign-out"`);

    const done = expectStatus(await submitForm(laptop.agent, '/account', `/account/sessions/${phoneSession.id}/sign-out`), 303);
    expect(done.headers.location).toBe('/account?saved=session');
    expect(await reads(warren.app, phone.cookie)).toBe(false);
    expect(await reads(warren.app, laptop.cookie)).toBe(true);
    const after = await laptop.agent.get('/account?saved=session').expect(200);
    expect(after.text).toContain('That session is signed out.');
    expect(after.text).not.toContain('Safari on iPhone');

    // Its own line signs this browser out, as the sign-out button does.
    const own = (await sessionsOf(email)).find((session) => session.device === 'Firefox on Linux')!;
    const out = expectStatus(await submitForm(laptop.agent, '/account', `/account/sessions/${own.id}/sign-out`), 303);
    expect(out.headers.location).toBe('/login?next=%2Faccount');
    expect(await reads(warren.app, laptop.cookie)).toBe(false);
  });

  it('When a member asks to sign out another member\'s session or a made-up one, then it is refused and nothing changes', async () => {
    const mine = await member('mine@example.com');
    const theirs = await member('theirs@example.com');
    const [theirSession] = await sessionsOf('theirs@example.com');
    for (const id of [theirSession.id, 'not-a-session', '00000000-0000-4000-8000-000000000000']) {
      const refused = expectStatus(await submitForm(mine.agent, '/account', `/account/sessions/${id}/sign-out`), 404);
      expect(refused.text).toContain('We could not find that session among yours');
    }
    expect(await reads(warren.app, theirs.cookie)).toBe(true);
    expect(await reads(warren.app, mine.cookie)).toBe(true);
    expect((await warren.db.session.findUniqueOrThrow({ where: { id: theirSession.id } })).revokedAt).toBeNull();
  });

  it('When a session is used, then its idle expiry (30 days) moves on with cookie and token, but never past 90 days after sign-in', async () => {
    const email = 'returns@example.com';
    let { cookie } = await member(email);
    const [session] = await sessionsOf(email);
    const signedInAt = session.createdAt.getTime();
    expect(session.expiresAt.getTime() - signedInAt).toBe(30 * DAY_MS);
    expect(session.absoluteExpiresAt.getTime() - signedInAt).toBe(90 * DAY_MS);

    // Used again within minutes: nothing is written (the members' page stays a memory lookup).
    warren.clock.advance(60 * 1000);
    const soon = await request(warren.app).get(THESIS).set('Cookie', cookie).expect(200);
    expect(String(soon.headers['set-cookie'])).not.toContain('warren_session=');
    expect((await warren.db.session.findUniqueOrThrow({ where: { id: session.id } })).lastSeenAt).toEqual(session.lastSeenAt);

    // Every 20 days: renewed, the new cookie and token ending with the session.
    for (const day of [20, 40, 60]) {
      warren.clock.advance(signedInAt + day * DAY_MS - warren.clock.now().getTime());
      const page = await request(warren.app).get(THESIS).set('Cookie', cookie).expect(200);
      expect(page.text).toContain('id="members-layer"');
      cookie = sessionCookie(page.headers['set-cookie']);
      const row = await warren.db.session.findUniqueOrThrow({ where: { id: session.id } });
      const endsAt = Math.min(signedInAt + (day + 30) * DAY_MS, signedInAt + 90 * DAY_MS);
      expect(row.lastSeenAt.getTime()).toBe(signedInAt + day * DAY_MS);
      expect(row.expiresAt.getTime()).toBe(endsAt);
      expect(String(page.headers['set-cookie'])).toContain(`Max-Age=${(endsAt - warren.clock.now().getTime()) / 1000};`);
      const exp = JSON.parse(Buffer.from(cookie.split('.')[1], 'base64url').toString()).exp;
      expect(exp).toBe(Math.floor(endsAt / 1000));
    }
    // Day 80: use recorded, but the token already ends with the session (day 90): nothing to re-issue.
    warren.clock.advance(20 * DAY_MS);
    const late = await request(warren.app).get(THESIS).set('Cookie', cookie).expect(200);
    expect(String(late.headers['set-cookie'])).not.toContain('warren_session=');
    expect((await warren.db.session.findUniqueOrThrow({ where: { id: session.id } })).lastSeenAt.getTime()).toBe(signedInAt + 80 * DAY_MS);
    warren.clock.advance(10 * DAY_MS - 60 * 1000); // a minute before the absolute expiry
    expect(await reads(warren.app, cookie)).toBe(true);
    warren.clock.advance(2 * 60 * 1000);
    expect(await reads(warren.app, cookie)).toBe(false);
  });

  it('When a session goes unused for 30 days, then it ends, and its row goes 30 days later at the next sign-in', async () => {
    const email = 'idle@example.com';
    const { cookie } = await member(email);
    const [idle] = await sessionsOf(email);
    expect(await reads(warren.app, cookie)).toBe(true);
    warren.clock.advance(30 * DAY_MS + 60 * 1000);
    expect(await reads(warren.app, cookie)).toBe(false);
    expect((await warren.db.session.findUniqueOrThrow({ where: { id: idle.id } })).expiresAt.getTime()).toBe(idle.createdAt.getTime() + 30 * DAY_MS);

    await signInBrowser(email, FIREFOX_LINUX); // the first session ended just now: kept
    expect((await sessionsOf(email)).map((session) => session.id)).toContain(idle.id);
    warren.clock.advance(45 * DAY_MS);
    await signInBrowser(email, FIREFOX_LINUX);
    const left = await sessionsOf(email);
    expect(left.map((session) => session.id)).not.toContain(idle.id); // ended 45 days ago
    expect(left).toHaveLength(2); // the second ended 15 days ago and stays a while
  });

  describe('open streams', () => {
    it('When a session expires while its stream is open, then the stream closes within the next poll tick, not the next heartbeat', async () => {
      const { cookie } = await member('runs.out@example.com');
      const stream = await liveStream(here.url, cookie);
      warren.clock.advance(30 * DAY_MS + 60 * 1000);
      await stream.until((c) => c.ended, 'the stream to close');
      expect(stream.events.map((event) => event.event)).toContain('revoked');
    });

    it('When a member already holds 5 streams on an instance, then the next is refused with 429 until one closes', async () => {
      const { cookie } = await member('many.tabs@example.com');
      const open = [];
      for (let i = 0; i < 5; i += 1) open.push(await liveStream(here.url, cookie));
      const refused = await openStream(here.url, cookie);
      expect(refused.status).toBe(429);
      await refused.until((c) => c.ended, 'the refusal to end');
      expect(refused.body).toContain('Too many live signal streams are open for this account (at most 5)');
      expect(refused.headers['content-type']).not.toContain('text/event-stream');

      open[0].close();
      // The server counts the stream out when it sees the socket close.
      let status = 429;
      for (let tries = 0; status === 429 && tries < 50; tries += 1) {
        const next = await openStream(here.url, cookie);
        status = next.status;
        if (status === 429) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).toBe(200);
    });

    /** An instance allowing two streams per address, optionally behind one trusted proxy. */
    async function cappedInstance(trustProxy: number) {
      const { app } = await startInstance(warren, { config: { ...warren.config, signalStreamLimits: { perMember: 5, perIp: 2 }, trustProxy } });
      return listen(app);
    }

    it('When one address already holds the maximum of streams, then another member there is refused with 429', async () => {
      const server = await cappedInstance(0);
      try {
        const first = await member('first.at.cafe@example.com');
        const second = await member('second.at.cafe@example.com');
        await liveStream(server.url, first.cookie);
        // What a client says it forwarded counts for nothing without a trusted proxy.
        const spoofing = { 'X-Forwarded-For': '198.51.100.9' };
        expect((await SseClient.open(server.url, STREAM, { Cookie: second.cookie, ...spoofing }).then((c) => (clients.push(c), c))).status).toBe(200);
        const refused = await openStream(server.url, second.cookie);
        expect(refused.status).toBe(429);
        await refused.until((c) => c.ended, 'the refusal to end');
        expect(refused.body).toContain('or this network (at most 2)');
      } finally {
        for (const client of clients.splice(0)) client.close();
        await server.close();
      }
    });

    it('When TRUST_PROXY names the proxy in front, then visitors behind it are counted apart by their forwarded address', async () => {
      expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
      expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
      const server = await cappedInstance(1);
      try {
        const { cookie } = await member('behind.proxy@example.com');
        const via = (address: string) => SseClient.open(server.url, STREAM, { Cookie: cookie, 'X-Forwarded-For': address }).then((c) => (clients.push(c), c));
        expect((await via('203.0.113.1')).status).toBe(200);
        expect((await via('203.0.113.1')).status).toBe(200);
        expect((await via('203.0.113.1')).status).toBe(429);
        expect((await via('203.0.113.2')).status).toBe(200);
      } finally {
        for (const client of clients.splice(0)) client.close();
        await server.close();
      }
    });
  });
});
