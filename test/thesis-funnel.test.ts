import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSiteServer } from '../server/app.ts';
import { DEMO_SLUG, signInByEmail, startInstance, startWarren, type Warren } from './support/harness.ts';
import { ADMIN, signInAdmin } from './support/signals.ts';

const DAY = 24 * 60 * 60 * 1000;
const THESIS = `/theses/${DEMO_SLUG}`;
const BUY = `${THESIS}/buy`;
const ANALYTICS = `/admin/theses/${DEMO_SLUG}/analytics`;
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** Five people: the app trusts one proxy (TRUST_PROXY=1), so X-Forwarded-For is their address. */
const VISITORS = {
  a: { ip: '198.51.100.1', ua: CHROME },
  b: { ip: '198.51.100.2', ua: CHROME },
  c: { ip: '198.51.100.1', ua: FIREFOX }, // same address as a, another browser: another visitor
  d: { ip: '203.0.113.4', ua: FIREFOX },
  e: { ip: '203.0.113.5', ua: CHROME },
};
type Visitor = (typeof VISITORS)[keyof typeof VISITORS];

/** An anonymous GET as this visitor's browser (no cookie: the public page may come from memory). */
const visit = (warren: Warren, path: string, visitor: Visitor, headers: Record<string, string> = {}) =>
  request(warren.app).get(path).set({ 'User-Agent': visitor.ua, 'X-Forwarded-For': visitor.ip, ...headers }).expect(200);

/** Each funnel row of the analytics page: step → [number, conversion]. */
function funnelTable(html: string): Record<string, [string, string]> {
  const rows = [...html.matchAll(/<tr data-step="([a-z_]+)"><th scope="row">[^<]*<\/th><td>(\d+)<\/td><td>(.*?)<\/td><\/tr>/g)];
  return Object.fromEntries(rows.map(([, key, count, conversion]) => [key, [count, conversion.replace(/<[^>]+>/g, '').trim()]]));
}

describe('The funnel of a thesis: privacy-first views, checkouts and sales', () => {
  let warren: Warren;
  let admin: Awaited<ReturnType<typeof signInAdmin>>;
  let thesisId: string;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN, TRUST_PROXY: '1' });
    admin = await signInAdmin(warren);
    thesisId = (await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } })).id;
  });
  afterAll(() => warren.close());

  /** Checkout attempts and purchases as the checkout flow leaves them, `daysAgo` before now. */
  async function sale(n: number, daysAgo: number, attemptStatus: string, purchaseStatus: string | null) {
    const at = new Date(warren.clock.now().getTime() - daysAgo * DAY);
    const user = await warren.db.user.create({ data: { email: `buyer${n}@example.com`, createdAt: at } });
    const attempt = {
      id: `attempt-${n}`,
      checkoutSessionId: `cs_funnel_${n}`,
      thesisId,
      userId: user.id,
      amount: 7500,
      currency: 'cad',
      mode: 'payment',
      livemode: false,
      status: attemptStatus,
      attestationVersion: 'v1',
      attestationText: 'three statements',
      attestedAt: at,
      attestedIp: '',
      createdAt: at,
      updatedAt: at,
    };
    await warren.db.checkoutAttempt.create({ data: attempt });
    if (purchaseStatus) {
      await warren.db.purchase.create({
        data: { checkoutSessionId: attempt.checkoutSessionId, userId: user.id, thesisId, amount: 7500, currency: 'cad', status: purchaseStatus, createdAt: at },
      });
    }
  }

  it('When visitors, bots, prefetches, checkouts and sales happen, then after a flush the page and the CSV show exactly those numbers', async () => {
    // Arrange: 9 public views from 5 visitors (most answered from the page cache), 6 buy page views
    // from 4 of them; what must not count: a bot, two prefetches, a HEAD, a request without a user agent.
    const { a, b, c, d, e } = VISITORS;
    for (const visitor of [a, a, a, b, b, c, c, d, e]) await visit(warren, THESIS, visitor);
    expect(warren.deps.catalog.publicPages.size).toBeGreaterThan(0);
    for (const visitor of [a, a, b, b, c, d]) await visit(warren, BUY, visitor);
    await visit(warren, THESIS, { ip: '192.0.2.50', ua: GOOGLEBOT });
    await visit(warren, BUY, { ip: '192.0.2.50', ua: GOOGLEBOT });
    await visit(warren, THESIS, e, { 'Sec-Purpose': 'prefetch' });
    await visit(warren, THESIS, { ip: '192.0.2.51', ua: CHROME }, { Purpose: 'prefetch' });
    await request(warren.app).head(THESIS).set({ 'User-Agent': CHROME, 'X-Forwarded-For': '192.0.2.52' }).expect(200);
    await request(warren.app).get(THESIS).set('X-Forwarded-For', '192.0.2.53').expect(200);
    // 4 checkouts started in the period: 2 paid, 1 since refunded, 1 expired unpaid; one older sale outside 30 days.
    await sale(1, 0, 'fulfilled', 'paid');
    await sale(2, 1, 'fulfilled', 'paid');
    await sale(3, 2, 'fulfilled', 'refunded');
    await sale(4, 3, 'expired', null);
    await sale(5, 40, 'fulfilled', 'paid');

    // Act
    await warren.deps.pageViews.flush();
    const page = await admin.get(ANALYTICS).expect(200);
    const csv = await admin.get(`${ANALYTICS}.csv?days=30`).expect(200);

    // Assert
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.text).toMatch(/<table class="admin-table thesis-funnel">\s*<caption>Funnel from/);
    expect(funnelTable(page.text)).toEqual({
      public_page_views: ['9', ''],
      public_page_visitors: ['5', ''],
      buy_page_views: ['6', ''],
      buy_page_visitors: ['4', '80% of public page visitors'],
      checkouts_started: ['4', '100% of buy page visitors'],
      paid: ['2', '50% of checkouts started'],
      refunded_or_disputed: ['1', '33.3% of purchases (paid, refunded or disputed)'],
      checkouts_abandoned: ['1', '25% of checkouts started'],
    });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="?${DEMO_SLUG}-funnel-\\d{4}-\\d{2}-\\d{2}-to-\\d{4}-\\d{2}-\\d{2}\\.csv"?$`));
    expect(csv.text.split('\r\n')).toEqual([
      '"step","count","conversion","of"',
      '"public_page_views","9","",""',
      '"public_page_visitors","5","",""',
      '"buy_page_views","6","",""',
      '"buy_page_visitors","4","80%","public page visitors"',
      '"checkouts_started","4","100%","buy page visitors"',
      '"paid","2","50%","checkouts started"',
      '"refunded_or_disputed","1","33.3%","purchases (paid, refunded or disputed)"',
      '"checkouts_abandoned","1","25%","checkouts started"',
      '',
    ]);
    // The older sale is inside 90 days; a week holds the three most recent checkouts and the expired one.
    const quarter = funnelTable((await admin.get(`${ANALYTICS}?days=90`).expect(200)).text);
    expect([quarter.checkouts_started[0], quarter.paid[0], quarter.public_page_views[0]]).toEqual(['5', '3', '9']);
    const week = funnelTable((await admin.get(`${ANALYTICS}?days=7`).expect(200)).text);
    expect([week.checkouts_started[0], week.paid[0]]).toEqual(['4', '2']);
    // Nothing about a visitor is stored: only the day's counts.
    const rows = await warren.db.pageViewDay.findMany({ orderBy: { kind: 'asc' } });
    expect(rows.map(({ kind, views, visitors }) => ({ kind, views, visitors }))).toEqual([
      { kind: 'buy', views: 6, visitors: 4 },
      { kind: 'thesis', views: 9, visitors: 5 },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/198\.51|203\.0|Mozilla/);
  });

  it('When a visitor comes back the next day on the test clock, then they are a unique visitor again, once', async () => {
    const before = funnelTable((await admin.get(ANALYTICS).expect(200)).text);
    warren.clock.advance(DAY);
    await visit(warren, THESIS, VISITORS.a);
    await visit(warren, THESIS, VISITORS.a);
    await warren.deps.pageViews.flush();
    const after = funnelTable((await admin.get(ANALYTICS).expect(200)).text);
    expect(Number(after.public_page_views[0])).toBe(Number(before.public_page_views[0]) + 2);
    expect(Number(after.public_page_visitors[0])).toBe(Number(before.public_page_visitors[0]) + 1);
    expect(await warren.db.pageViewDay.count({ where: { kind: 'thesis' } })).toBe(2);
  });

  it('When the period is not 7, 30 or 90 days, then the page and the CSV answer 400 saying which periods exist', async () => {
    for (const path of [`${ANALYTICS}?days=abc`, `${ANALYTICS}?days=14`, `${ANALYTICS}.csv?days=abc`]) {
      const res = await admin.get(path).expect(400);
      expect(res.text).toContain('The period must be 7, 30 or 90 days');
    }
  });

  it('When someone who is not an admin asks for the analytics, then they are refused as on every admin page', async () => {
    for (const path of [ANALYTICS, `${ANALYTICS}.csv`]) {
      expect((await request(warren.app).get(path).expect(303)).headers.location).toMatch(/^\/login\?next=/);
    }
    await warren.db.user.create({ data: { email: 'reader@example.com', createdAt: warren.clock.now() } });
    const { agent: reader } = await signInByEmail(warren, 'reader@example.com');
    for (const path of [ANALYTICS, `${ANALYTICS}.csv`]) {
      const res = await reader.get(path).expect(403);
      expect(res.text).not.toContain('public_page_views');
    }
  });

  it('When the admin opens the thesis editor, then it links to the analytics', async () => {
    expect((await admin.get(`/admin/theses/${DEMO_SLUG}`).expect(200)).text).toContain(`<a href="${ANALYTICS}">Analytics</a>`);
  });
});

describe('Views counted on every path and on every instance', () => {
  let warren: Warren;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    warren = await startWarren({ TRUST_PROXY: '1' });
    thesisId = (await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } })).id;
    server = createSiteServer(warren.deps, warren.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await warren.close();
  });

  /** A GET over a real socket to the front server, which answers a cached page before Express. */
  const get = (headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      http.get(`${base}${THESIS}`, { headers, agent: false }, (res) => res.resume().on('end', () => resolve(res.statusCode!))).on('error', reject);
    });
  let thesisId: string;
  /** Today's counts of the public page, on the test clock. */
  const thesisRows = () =>
    warren.db.pageViewDay.findMany({ where: { kind: 'thesis', day: warren.clock.now().toISOString().slice(0, 10) }, select: { views: true, visitors: true } });

  it('When the front server answers the thesis page from memory, then each view is still counted, per visitor', async () => {
    const hits = () => warren.deps.catalog.publicPages.size;
    await warren.deps.catalog.contentChanged();
    const statuses = [];
    for (const ip of ['198.51.100.7', '198.51.100.7', '198.51.100.8']) statuses.push(await get({ 'User-Agent': CHROME, 'X-Forwarded-For': ip }));
    statuses.push(await get({ 'User-Agent': GOOGLEBOT, 'X-Forwarded-For': '198.51.100.9' }));
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(hits()).toBe(1);
    await warren.deps.pageViews.flush();
    expect(await thesisRows()).toEqual([{ views: 3, visitors: 2 }]);
  });

  it('When the clock crosses midnight UTC between two views, then each is on its own day and the visitor is unique on both', async () => {
    const visitor = { 'User-Agent': CHROME, 'X-Forwarded-For': '198.51.100.60' };
    const row = (day: string) => warren.db.pageViewDay.findUnique({ where: { day_thesisId_kind: { day, thesisId, kind: 'thesis' } } });
    const now = warren.clock.now();
    warren.clock.advance(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime() - 1);
    const lastDay = warren.clock.now().toISOString().slice(0, 10);
    const earlier = (await row(lastDay)) ?? { views: 0, visitors: 0 };
    await request(warren.app).get(THESIS).set(visitor).expect(200);
    warren.clock.advance(1);
    const nextDay = warren.clock.now().toISOString().slice(0, 10);
    await request(warren.app).get(THESIS).set(visitor).expect(200);
    await warren.deps.pageViews.flush();
    expect(nextDay).not.toBe(lastDay);
    expect(await row(lastDay)).toMatchObject({ views: earlier.views + 1, visitors: earlier.visitors + 1 });
    expect(await row(nextDay)).toMatchObject({ views: 1, visitors: 1 });
  });

  it('When two instances count the same visitor, then their increments add up (the visitor counted once on each), and closing an instance writes what it held', async () => {
    const other = await startInstance(warren);
    const before = (await thesisRows())[0] ?? { views: 0, visitors: 0 };
    const visitor = { 'User-Agent': FIREFOX, 'X-Forwarded-For': '203.0.113.70' };
    await request(warren.app).get(THESIS).set(visitor).expect(200);
    await request(other.app).get(THESIS).set(visitor).expect(200);
    await request(other.app).get(THESIS).set(visitor).expect(200);
    await warren.deps.pageViews.flush();
    // Not flushed by hand: closing the instance (as the graceful shutdown does) writes its counts.
    await other.close();
    expect(await thesisRows()).toEqual([{ views: before.views + 3, visitors: before.visitors + 2 }]);
  });
});
