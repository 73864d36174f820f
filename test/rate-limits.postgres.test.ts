import { randomBytes } from 'node:crypto';
// Two real app processes on one PostgreSQL schema: rate limits count once between them.
// Runs only in the "postgres" project (vitest.config.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../server/clock.ts';
import { seedDemoContentIfEmpty } from '../server/publishing/demo-seed.ts';
import { WEBHOOK_SECRET } from './support/harness.ts';
import { FakeStripe } from './support/fake-stripe.ts';
import { SmtpInbox } from './support/smtp-inbox.ts';
import { openTestDatabase, type TestDatabase } from './support/test-database.ts';
import { freePort, postgresUrl, startAppProcess, type AppProcess } from './support/app-process.ts';
import { CookieClient } from './support/cookie-client.ts';

const MEMBER = 'two.instances.limits@example.com';

describe('Rate limits with two instances on one PostgreSQL database', () => {
  let stripe: FakeStripe;
  let inbox: SmtpInbox;
  let database: TestDatabase;
  let a: AppProcess;
  let b: AppProcess;

  beforeAll(async () => {
    [stripe, inbox, database] = await Promise.all([new FakeStripe().start(), new SmtpInbox().start(), openTestDatabase()]);
    await seedDemoContentIfEmpty(database.prisma, systemClock.now(), 'The Rabbit Hole');
    await database.prisma.user.create({ data: { email: MEMBER, createdAt: systemClock.now() } });
    const [portA, portB] = [await freePort(), await freePort()];
    const env = {
      NODE_ENV: 'production',
      CONTACT_EMAIL: 'contact@warren.test',
      APP_URL: `http://127.0.0.1:${portA}`,
      DATABASE_URL: postgresUrl(database.url, database.schema),
      JWT_SECRET: randomBytes(32).toString('hex'),
      STRIPE_SECRET_KEY: 'sk_test_warren',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
      SMTP_URL: inbox.url,
      MAIL_FROM: 'Warren Research <research@warren.test>',
      LOG_LEVEL: 'info', // startAppProcess waits for the info line saying it listens
    };
    [a, b] = await Promise.all([startAppProcess({ ...env, PORT: String(portA) }), startAppProcess({ ...env, PORT: String(portB) })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([stripe?.close(), inbox?.close(), database?.destroy()]);
  });

  const askForLink = (on: AppProcess, email: string) => new CookieClient().submitForm(`${on.url}/login`, `${on.url}/login`, { email });

  it('When an address asks on one instance and again on the other within a minute, then the other says "we just sent you one" and one mail is queued', async () => {
    expect((await askForLink(a, MEMBER)).status).toBe(200);
    const again = await askForLink(b, MEMBER);
    expect(again.status).toBe(429);
    expect(again.text).toContain('We just sent you one');
    expect(await database.prisma.outboxMessage.count({ where: { template: 'sign-in', recipient: MEMBER } })).toBe(1);
  });

  it('When one IP asks for sign-in links on both instances, then the 30 allowed in 15 minutes are counted once between them', async () => {
    // Two requests above already counted; 28 more, alternately on each instance.
    for (let n = 0; n < 28; n++) expect((await askForLink(n % 2 ? b : a, `probe-${n}@example.com`)).status).toBe(200);
    // Each instance saw only 15: alone, it would still let requests through.
    for (const instance of [a, b]) {
      const limited = await askForLink(instance, 'one-more@example.com');
      expect(limited.status).toBe(429);
      expect(limited.text).toContain('Too many sign-in requests from here');
    }
    const [counter] = await database.prisma.rateLimitCounter.findMany({ where: { key: { startsWith: 'sign-in-ip:' } } });
    expect(counter.hits).toBe(32);
  });
});
