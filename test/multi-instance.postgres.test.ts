import { randomBytes } from 'node:crypto';
// Two real app processes on one PostgreSQL schema, as two replicas behind one host name.
// Runs only in the "postgres" project (vitest.config.ts): SQLite is a single-process database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../server/clock.ts';
import { seedDemoContentIfEmpty } from '../server/publishing/demo-seed.ts';
import { enqueueMail } from '../server/mail/outbox.ts';
import { ATTESTED, DEMO_SLUG, WEBHOOK_SECRET } from './support/harness.ts';
import { FakeStripe } from './support/fake-stripe.ts';
import { SmtpInbox } from './support/smtp-inbox.ts';
import { openTestDatabase, type TestDatabase } from './support/test-database.ts';
import { freePort, postgresUrl, startAppProcess, type AppProcess } from './support/app-process.ts';
import { CookieClient, eventually } from './support/cookie-client.ts';
import { SseClient } from './support/sse-client.ts';

const ADMIN = 'publisher@example.com';
const STREAM = `/theses/${DEMO_SLUG}/signals/stream`;
const ADMIN_SIGNALS = `/admin/theses/${DEMO_SLUG}/signals`;

describe('Two instances on one PostgreSQL database', () => {
  let stripe: FakeStripe;
  let inbox: SmtpInbox;
  let database: TestDatabase;
  let a: AppProcess;
  let b: AppProcess;
  let appUrl: string;
  const streams: SseClient[] = [];

  beforeAll(async () => {
    [stripe, inbox, database] = await Promise.all([new FakeStripe().start(), new SmtpInbox().start(), openTestDatabase()]);
    // The app processes run on the system clock: rows this test writes for them carry its time too.
    await seedDemoContentIfEmpty(database.prisma, systemClock.now(), 'The Rabbit Hole');
    const [portA, portB] = [await freePort(), await freePort()];
    appUrl = `http://127.0.0.1:${portA}`;
    const env = {
      NODE_ENV: 'production',
      APP_URL: appUrl,
      DATABASE_URL: postgresUrl(database.url, database.schema),
      JWT_SECRET: randomBytes(32).toString('hex'),
      STRIPE_SECRET_KEY: 'sk_test_warren',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
      SMTP_URL: inbox.url,
      MAIL_FROM: 'Warren Research <research@warren.test>',
      ADMIN_EMAILS: ADMIN,
      // Frequent heartbeats: a test sees that a stream is live (past its start-up) without waiting 15 s.
      SIGNAL_HEARTBEAT_MS: '100',
      LOG_LEVEL: 'info', // startAppProcess waits for the info line saying it listens
    };
    [a, b] = await Promise.all([startAppProcess({ ...env, PORT: String(portA) }), startAppProcess({ ...env, PORT: String(portB) })]);
  }, 60_000);
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([stripe?.close(), inbox?.close(), database?.destroy()]);
  });

  /** Asks for a sign-in link on one instance and uses it on the other, as a browser behind a load balancer might. */
  async function signInByLink(email: string, askOn: AppProcess, confirmOn: AppProcess): Promise<CookieClient> {
    const before = inbox.to(email).length;
    const client = new CookieClient();
    expect((await client.submitForm(`${askOn.url}/login`, `${askOn.url}/login`, { email, next: '/' })).status).toBe(200);
    await eventually(async () => inbox.to(email).length > before, `the sign-in e-mail to ${email}`);
    const link = inbox.latestLink(email, appUrl);
    const token = new URL(link, appUrl).searchParams.get('token')!;
    expect((await client.submitForm(`${confirmOn.url}${link}`, `${confirmOn.url}/login/verify`, { token })).status).toBe(303);
    return client;
  }

  /** The publisher's signal form, posted to one instance; returns the update's sequence. */
  async function recordUpdate(admin: CookieClient, on: AppProcess, fields: { signalId: string; status: string; note: string }): Promise<number> {
    const url = `${on.url}${ADMIN_SIGNALS}`;
    const res = await admin.submitForm(url, url, { ...fields, occurredOn: '2026-01-15' });
    expect(res.status).toBe(303);
    return Number(/recorded=(\d+)/.exec(res.headers.get('location')!)![1]);
  }

  /** A member's stream as a browser opens it: first from where the page stands (?after=), then reconnecting with Last-Event-ID. */
  async function openStream(on: AppProcess, member: CookieClient, from: { after: number } | { lastEventId: number }): Promise<SseClient> {
    const stream =
      'after' in from
        ? await SseClient.open(on.url, `${STREAM}?after=${from.after}`, { Cookie: member.cookieHeader() })
        : await SseClient.open(on.url, STREAM, { Cookie: member.cookieHeader(), 'Last-Event-ID': String(from.lastEventId) });
    streams.push(stream);
    expect(stream.status).toBe(200);
    return stream;
  }

  const outboxSettled = () =>
    eventually(async () => (await database.prisma.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } })) === 0, 'the outbox to empty');

  it('When both instances run, then both are ready, each with its mail worker running', async () => {
    for (const instance of [a, b]) {
      const res = await fetch(`${instance.url}/readyz`);
      expect(res.status).toBe(200);
      expect((await res.json()).checks).toEqual({ database: 'ok', migrations: 'ok', mailWorker: 'ok', process: 'ok' });
    }
  });

  it('When the webhook reaches one instance and the buyer returns to the other, then there is one purchase and one receipt', async () => {
    const email = 'two.instances@example.com';
    const buyer = new CookieClient();
    const checkout = await buyer.submitForm(`${a.url}/theses/${DEMO_SLUG}/buy`, `${a.url}/theses/${DEMO_SLUG}/checkout`, ATTESTED);
    expect(checkout.status).toBe(303);
    const sessionId = new URL(checkout.headers.get('location')!).pathname.split('/').pop()!;
    const session = stripe.pay(sessionId, email);
    const event = stripe.signedEvent('checkout.session.completed', session, WEBHOOK_SECRET);

    // Both at once, on different instances: the race the unique constraint settles.
    const [hook, success] = await Promise.all([
      fetch(`${a.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': event.signature }, body: event.body }),
      buyer.request(`${b.url}/checkout/success?session_id=${sessionId}`),
    ]);
    expect(hook.status).toBe(200);
    expect(success.status).toBe(200);
    expect(success.text).toContain("Read the members' layer");
    expect(await database.prisma.purchase.count({ where: { checkoutSessionId: sessionId } })).toBe(1);
    expect(await database.prisma.entitlement.count({ where: { user: { email } } })).toBe(1);

    // The session cookie set by B is honoured by A.
    expect((await buyer.request(`${a.url}/theses/${DEMO_SLUG}`)).text).toContain('id="members-layer"');
    await outboxSettled();
    expect(inbox.to(email)).toHaveLength(1);
  });

  it('When a sign-in link is requested on one instance, then it works once on the other', async () => {
    const email = 'two.instances@example.com';
    const before = inbox.to(email).length;
    const member = new CookieClient();
    const asked = await member.submitForm(`${a.url}/login`, `${a.url}/login`, { email, next: `/theses/${DEMO_SLUG}` });
    expect(asked.status).toBe(200);
    await eventually(async () => inbox.to(email).length > before, 'the sign-in e-mail');
    const link = inbox.latestLink(email, appUrl);
    const token = new URL(link, appUrl).searchParams.get('token')!;

    const signedIn = await member.submitForm(`${b.url}${link}`, `${b.url}/login/verify`, { token });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(`/theses/${DEMO_SLUG}`);
    expect((await member.request(`${a.url}/theses/${DEMO_SLUG}`)).text).toContain('id="members-layer"');

    const replay = await new CookieClient().request(`${a.url}${link}`);
    expect(replay.status).toBe(410);
  });

  it('When mail is queued while both workers poll, then every message is delivered exactly once', async () => {
    const recipients = Array.from({ length: 30 }, (_, i) => `bulk.${i}@example.com`);
    for (const [i, recipient] of recipients.entries()) {
      await enqueueMail(database.prisma, {
        dedupeKey: `bulk:${i}`,
        template: 'receipt',
        recipient,
        data: { thesisTitle: 'The Decode Singularity', price: '$75.00 CAD', purchasedOn: '2026-11-26', reference: `bulk-${i}` },
      }, systemClock.now());
    }
    await outboxSettled();
    expect(await database.prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: 'bulk:' }, status: 'sent' } })).toBe(30);
    for (const recipient of recipients) expect(inbox.to(recipient)).toHaveLength(1);
  });

  it('When a member holds a signal stream on one instance and the publisher records an update on the other, then it arrives live; resumed elsewhere with Last-Event-ID, the stream gets exactly what it missed', async () => {
    const thesis = await database.prisma.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
    const signals = await database.prisma.signal.findMany({ where: { thesisId: thesis.id }, orderBy: { position: 'asc' } });
    const memberEmail = 'stream.member@example.com';
    const now = systemClock.now();
    const user = await database.prisma.user.create({ data: { email: memberEmail, createdAt: now } });
    await database.prisma.entitlement.create({ data: { userId: user.id, thesisId: thesis.id, source: 'grant', createdAt: now, updatedAt: now } });
    const [member, admin] = await Promise.all([signInByLink(memberEmail, a, b), signInByLink(ADMIN, b, a)]);

    const rendered = await database.prisma.signalUpdate.count({ where: { thesisId: thesis.id } });
    const onB = await openStream(b, member, { after: rendered });
    await onB.until((client) => client.comments.includes('heartbeat'), 'the stream on B to be live');

    const first = await recordUpdate(admin, a, { signalId: signals[0].id, status: 'strengthening', note: 'Recorded on A, watched on B.' });
    expect(first).toBe(rendered + 1);
    await onB.until((client) => client.updates().length === 1, 'the update recorded on A');
    expect(onB.updates()[0]).toMatchObject({ id: String(first), data: { signalId: signals[0].id, status: 'strengthening', noteHtml: '<p>Recorded on A, watched on B.</p>\n' } });

    // The connection to B drops; two updates are recorded meanwhile (one on each instance).
    onB.close();
    const missed = [
      await recordUpdate(admin, b, { signalId: signals[1].id, status: 'confirmed', note: 'Missed, recorded on B.' }),
      await recordUpdate(admin, a, { signalId: signals[2].id, status: 'weakening', note: 'Missed, recorded on A.' }),
    ];
    const onA = await openStream(a, member, { lastEventId: first });
    await onA.until((client) => client.updates().length === 2, 'the two missed updates');
    expect(onA.updates().map((event) => event.id)).toEqual(missed.map(String));
    expect(onA.updates().map((event) => event.data.noteHtml)).toEqual(['<p>Missed, recorded on B.</p>\n', '<p>Missed, recorded on A.</p>\n']);

    // And it is live again: the next update, recorded on B, follows on A.
    const next = await recordUpdate(admin, b, { signalId: signals[0].id, status: 'confirmed', note: 'Live again.' });
    await onA.until((client) => client.updates().length === 3, 'the next update');
    expect(onA.updates().map((event) => event.id)).toEqual([...missed, next].map(String));
  });
});
