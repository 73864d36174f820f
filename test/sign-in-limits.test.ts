import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createApp } from '../server/app.ts';
import { openDatabase, type Database } from '../server/db/database.ts';
import { createLogger } from '../server/ops/logger.ts';
import { SIGN_IN_MAIL_INTERVAL_MS } from '../server/accounts/sign-in-request.ts';
import { csrfToken, expectStatus, signInByEmail, startInstance, startWarren, submitForm, type Warren } from './support/harness.ts';

const MEMBER = 'limits.member@example.com';
const ADMIN = 'limits.publisher@example.com';
type Agent = ReturnType<typeof request.agent>;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

describe('Sign-in requests: one mail per address per minute, the same work for members and strangers', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    await warren.db.user.create({ data: { email: MEMBER, createdAt: warren.clock.now() } });
  });
  afterAll(() => warren.close());

  const signInMails = (email: string) => warren.db.outboxMessage.count({ where: { template: 'sign-in', recipient: email } });
  const askForLink = (email: string) => submitForm(request.agent(warren.app), '/login', '/login', { email });

  it('When an address asks again within a minute, on any route, then "we just sent you one" (429) and no second mail; a minute later, a new one', async () => {
    expectStatus(await askForLink(MEMBER), 200);
    const again = expectStatus(await askForLink(MEMBER.toUpperCase()), 429);
    expect(again.text).toContain('We just sent you one');
    expect(again.text).toContain('name="code"'); // the code form is still there
    expect(again.headers['retry-after']).toBe('60');

    // The account page's "e-mail me a link" counts for the same address.
    const { agent: signedIn } = await signInByEmail(warren, MEMBER);
    expectStatus(await submitForm(signedIn, '/account', '/account/sign-in-link'), 429);
    const sent = await signInMails(MEMBER);

    warren.clock.advance(SIGN_IN_MAIL_INTERVAL_MS / 2);
    expectStatus(await askForLink(MEMBER), 429);
    expect(await signInMails(MEMBER)).toBe(sent);
    warren.clock.advance(SIGN_IN_MAIL_INTERVAL_MS / 2);
    expectStatus(await askForLink(MEMBER), 200);
    expect(await signInMails(MEMBER)).toBe(sent + 1);
  });

  it('When a stranger asks twice, then the answers are the member\'s, and nothing is sent to the stranger', async () => {
    const stranger = 'limits.stranger@example.com';
    expectStatus(await askForLink(stranger), 200);
    expect(expectStatus(await askForLink(stranger), 429).text).toContain('We just sent you one');
    await warren.deliverMail();
    expect(warren.inbox.to(stranger)).toHaveLength(0);
    expect(await warren.db.outboxMessage.findFirst({ where: { recipient: stranger } })).toMatchObject({ status: 'skipped', lastError: 'no account has this address' });
    expect(await warren.db.user.count({ where: { email: stranger } })).toBe(0);
  });

  it('When an address in ADMIN_EMAILS with no account yet asks, then the worker makes the account and the link arrives', async () => {
    expectStatus(await askForLink(ADMIN), 200);
    expect(await warren.db.user.count({ where: { email: ADMIN } })).toBe(0); // nothing address-dependent at the request
    await warren.deliverMail();
    expect(warren.inbox.to(ADMIN)).toHaveLength(1);
    expect(await warren.db.user.count({ where: { email: ADMIN } })).toBe(1);
  });

  describe('Timing: a member and a stranger cost the same', () => {
    let counting: Database;
    let timed: ReturnType<typeof createApp>;
    const queriesByPath: Record<string, number[]> = { '/login': [], '/login/code': [] };

    beforeAll(async () => {
      // On PostgreSQL the tests above counted against this IP in the shared counters: start afresh.
      await warren.db.rateLimitCounter.deleteMany();
      // The app as in development, on a client that counts statements: it logs each request's count.
      counting = await openDatabase(warren.database.url, { schema: warren.database.schema, countQueries: true });
      const logLines = new Writable({
        write(chunk, _encoding, done) {
          const line = JSON.parse(String(chunk));
          if (line.msg === 'queries per request' || line.msg === 'many queries for one request') queriesByPath[line.path]?.push(line.queries);
          done();
        },
      });
      ({ app: timed } = await startInstance(warren, {
        config: { ...warren.config, env: 'development' },
        database: { ...warren.database, prisma: counting.prisma },
        logger: createLogger('debug', logLines),
      }));
    });
    afterAll(() => counting.close());

    /** Posts a form `count` times for members and strangers alternately; each side's times (ms) and statement counts. */
    async function compare(path: string, count: number, fields: (who: 'member' | 'stranger', n: number) => Record<string, string>) {
      const agent: Agent = request.agent(timed);
      const _csrf = csrfToken((await agent.get('/login').expect(200)).text);
      const times = { member: [] as number[], stranger: [] as number[] };
      const queries = { member: [] as number[], stranger: [] as number[] };
      for (let n = 0; n < count; n++) {
        for (const who of n % 2 ? (['stranger', 'member'] as const) : (['member', 'stranger'] as const)) {
          const started = performance.now();
          const res = await agent.post(path).type('form').send({ ...fields(who, n), _csrf });
          times[who].push(performance.now() - started);
          expect(res.status).toBe(path === '/login' ? 200 : 400);
          await new Promise((resolve) => setImmediate(resolve)); // the count is logged when the response finishes
          queries[who].push(queriesByPath[path].at(-1)!);
        }
      }
      // The first round warms caches and statement plans for both sides.
      for (const side of [times.member, times.stranger, queries.member, queries.stranger]) side.shift();
      return { times, queries };
    }

    it('When members and strangers ask for sign-in links, then the same statements run for each and the median times agree', async () => {
      const members = Array.from({ length: 15 }, (_, n) => `timed.member.${n}@example.com`);
      await warren.db.user.createMany({ data: members.map((email) => ({ email, createdAt: warren.clock.now() })) });
      // 15 each: the per-IP limit allows 30 requests in 15 minutes.
      const { times, queries } = await compare('/login', 15, (who, n) => ({ email: who === 'member' ? members[n] : `timed.stranger.${n}@example.com` }));
      expect(queries.stranger).toEqual(queries.member);
      expect(new Set(queries.member).size).toBe(1);
      const ratio = median(times.member) / median(times.stranger);
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    });

    it('When members and strangers type a one-time code, then the same statements run for each and the median times agree', async () => {
      // 10 each: the per-IP limit allows 20 codes in 15 minutes.
      const { times, queries } = await compare('/login/code', 10, (who) => ({ email: who === 'member' ? MEMBER : 'nobody.here@example.com', code: 'ABCD-EFGH' }));
      expect(queries.stranger).toEqual(queries.member);
      const ratio = median(times.member) / median(times.stranger);
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    });
  });
});
