import type { IncomingMessage, Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSiteServer } from '../server/app.ts';
import { FirstTouches, cleanSourceValue, sourceOfRequest } from '../server/analytics/first-touch.ts';
import { periodEnding } from '../server/analytics/period.ts';
import { purchaseSources, purchaseSourcesCsvRows, revenueText } from '../server/analytics/purchase-sources.ts';
import type { BuyerSource } from '../server/checkout/checkout-attempts.ts';
import { APP_URL, type Warren, startWarren } from './support/harness.ts';
import { ADMIN, signInAdmin } from './support/signals.ts';
import { CHROME, FIREFOX, GOOGLEBOT, THESIS, checkout, expectScenarioNumbers, playBuyerScenario, view, type Browser } from './support/buyer-scenario.ts';

const DAY = 24 * 60 * 60 * 1000;
const OWN_HOST = 'warren.test';
const DIRECT: BuyerSource = { referrer: null, utmSource: null, utmCampaign: null, ref: null };

/** Just what the source is read from: the URL and the headers. */
const requestOf = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage;

describe('Where a request says its visitor came from', () => {
  it('When a request carries utm_source, utm_campaign or ref, then those are its source, trimmed and in lower case', () => {
    expect(sourceOfRequest(requestOf('/theses/x?utm_source=Newsletter&utm_campaign=december+issue&ref=%20friend%20'), OWN_HOST)).toEqual({
      referrer: null,
      utmSource: 'newsletter',
      utmCampaign: 'december issue',
      ref: 'friend',
    });
    expect(sourceOfRequest(requestOf('/theses/x?ref=producthunt'), OWN_HOST)).toEqual({ ...DIRECT, ref: 'producthunt' });
  });

  it("When the Referer is another site's page, then its host is the source, lower case and without www.; this site's own pages and none are direct", () => {
    expect(sourceOfRequest(requestOf('/theses/x', { referer: 'https://WWW.News.YCombinator.com/item?id=42' }), OWN_HOST)).toEqual({ ...DIRECT, referrer: 'news.ycombinator.com' });
    expect(sourceOfRequest(requestOf('/theses/x', { referer: 'https://www.warren.test/' }), OWN_HOST)).toBeNull();
    expect(sourceOfRequest(requestOf('/theses/x', { referer: `${APP_URL}/theses` }), OWN_HOST)).toBeNull();
    expect(sourceOfRequest(requestOf('/theses/x'), OWN_HOST)).toBeNull();
  });

  it("When this site's own page with a campaign led here and this URL has none, then that campaign is the source (the buy page opened from the newsletter's link)", () => {
    const buy = requestOf('/theses/x/buy', { referer: `${APP_URL}/theses/x?utm_source=newsletter&utm_campaign=december` });
    expect(sourceOfRequest(buy, OWN_HOST)).toEqual({ ...DIRECT, utmSource: 'newsletter', utmCampaign: 'december' });
    // Another site's campaign parameters are theirs, not ours: only its host is kept.
    expect(sourceOfRequest(requestOf('/theses/x', { referer: 'https://example.org/?utm_source=theirs' }), OWN_HOST)).toEqual({ ...DIRECT, referrer: 'example.org' });
  });

  it('When values are over-long, empty or hold anything but letters, digits, spaces and . _ ~ + -, then they are dropped whole and nothing else is lost', () => {
    const long = 'a'.repeat(101);
    expect(cleanSourceValue('a'.repeat(100))).toBe('a'.repeat(100));
    for (const bad of [long, '', '   ', '<script>alert(1)</script>', '=HYPERLINK("x")', 'a"b', 'new\nline', 'semi;colon', undefined, null]) {
      expect(cleanSourceValue(bad), String(bad)).toBeNull();
    }
    expect(sourceOfRequest(requestOf(`/theses/x?utm_source=${long}&utm_campaign=%3Cscript%3E`), OWN_HOST)).toBeNull();
    expect(sourceOfRequest(requestOf(`/theses/x?utm_source=${long}&ref=ok`), OWN_HOST)).toEqual({ ...DIRECT, ref: 'ok' });
    // Referers that are not a web page of another site, or are absurd, are no source.
    for (const referer of ['android-app://com.google.android.gm/', 'javascript:alert(1)', 'not a url', `https://${'a'.repeat(120)}.example/`, `https://example.org/${'x'.repeat(2_100)}`]) {
      expect(sourceOfRequest(requestOf('/theses/x', { referer }), OWN_HOST), referer.slice(0, 40)).toBeNull();
    }
  });

  it('When a visitor has several touches in a day, then the first is kept; a new day starts empty; past the cap nothing more is kept', () => {
    const touches = new FirstTouches(2);
    touches.remember('d1', 'v1', { ...DIRECT, utmSource: 'newsletter' });
    touches.remember('d1', 'v1', { ...DIRECT, referrer: 'example.org' });
    touches.remember('d1', 'v2', { ...DIRECT, ref: 'friend' });
    touches.remember('d1', 'v3', { ...DIRECT, ref: 'late' });
    expect([touches.recall('d1', 'v1'), touches.recall('d1', 'v2'), touches.recall('d1', 'v3')]).toEqual([
      { ...DIRECT, utmSource: 'newsletter' },
      { ...DIRECT, ref: 'friend' },
      null,
    ]);
    expect(touches.recall('d2', 'v1')).toBeNull();
    touches.remember('d2', 'v3', { ...DIRECT, ref: 'late' });
    expect([touches.size, touches.recall('d2', 'v3'), touches.recall('d2', 'v1')]).toEqual([1, { ...DIRECT, ref: 'late' }, null]);
  });
});

describe('Where buyers come from, over HTTP', () => {
  let warren: Warren;
  let site: Server;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN, TRUST_PROXY: '1' });
  });
  afterAll(async () => {
    if (site?.listening) await new Promise((resolve) => site.close(resolve));
    await warren.close();
  });

  /** The source kept with the checkout attempt of a session. */
  const attemptSource = async (checkoutSessionId: string) => {
    const attempt = await warren.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId } });
    return { referrer: attempt.sourceReferrer, utmSource: attempt.sourceUtmSource, utmCampaign: attempt.sourceUtmCampaign, ref: attempt.sourceRef };
  };
  const cacheHits = async () =>
    (await warren.deps.ops.metrics.registry.getSingleMetric('warren_public_page_cache_hits_total')!.get()).values.reduce((sum, value) => sum + value.value, 0);
  let n = 0;
  /** A visitor no other test has used. */
  const newcomer = (ua = CHROME): Browser => ({ ip: `203.0.113.${++n}`, ua });

  it('When a visitor reads the cached public page from ?utm_source=newsletter, answered before Express, then the checkout they start keeps newsletter', async () => {
    site = createSiteServer(warren.deps, warren.app);
    const url = `${THESIS}?utm_source=newsletter&utm_campaign=december`;
    await view(site, url, newcomer()); // someone else's visit stores the page
    const hitsBefore = await cacheHits();
    const reader = newcomer();
    await view(site, url, reader);
    expect(await cacheHits()).toBe(hitsBefore + 1);
    // The buy page reached from the site's home page: its own Referer says nothing; the first touch does.
    const session = await checkout(warren.app, reader, `${APP_URL}/`);
    expect(await attemptSource(session)).toEqual({ ...DIRECT, utmSource: 'newsletter', utmCampaign: 'december' });
  });

  it("When a visitor came from another site's link, then that site's host is kept; a later campaign visit the same day does not replace it", async () => {
    const visitor = newcomer(FIREFOX);
    await view(warren.app, THESIS, visitor); // direct first: leaves nothing
    await view(warren.app, THESIS, visitor, { Referer: 'https://www.example.org/best-research?id=7' });
    await view(warren.app, `${THESIS}?ref=later`, visitor);
    const session = await checkout(warren.app, visitor, `${APP_URL}${THESIS}`);
    expect(await attemptSource(session)).toEqual({ ...DIRECT, referrer: 'example.org' });
  });

  it("When a visitor only ever came from this site's own pages or typed the address, then their checkout is direct", async () => {
    const visitor = newcomer();
    await view(warren.app, THESIS, visitor, { Referer: `${APP_URL}/` });
    await view(warren.app, THESIS, visitor, { Referer: 'https://www.warren.test/theses' });
    const session = await checkout(warren.app, visitor, `${APP_URL}${THESIS}`);
    expect(await attemptSource(session)).toEqual(DIRECT);
  });

  it('When the source in the address is over-long or garbage, then it is dropped and the checkout still starts, as direct', async () => {
    const visitor = newcomer();
    await view(warren.app, `${THESIS}?utm_source=${'x'.repeat(101)}&utm_campaign=%3Cscript%3Ealert(1)%3C%2Fscript%3E&ref=%00`, visitor);
    const session = await checkout(warren.app, visitor, `${APP_URL}${THESIS}`);
    expect(await attemptSource(session)).toEqual(DIRECT);
  });

  it('When a bot or a prefetch reads a page with a campaign, then it leaves no first touch for that address and browser', async () => {
    const bot = { ip: '192.0.2.90', ua: GOOGLEBOT };
    await view(warren.app, `${THESIS}?utm_source=crawler`, bot);
    const prefetcher = newcomer();
    await view(warren.app, `${THESIS}?utm_source=prefetched`, prefetcher, { 'Sec-Purpose': 'prefetch' });
    await view(site, `${THESIS}?utm_source=prefetched`, prefetcher, { 'Sec-Purpose': 'prefetch' }); // from memory too
    expect(await attemptSource(await checkout(warren.app, bot, `${APP_URL}${THESIS}`))).toEqual(DIRECT);
    expect(await attemptSource(await checkout(warren.app, prefetcher, `${APP_URL}${THESIS}`))).toEqual(DIRECT);
  });

  it("When a visitor came from the newsletter one day and buys the next (UTC) day, then yesterday's touch is gone with its salt: direct, unless today's buy page was opened from the campaign's URL", async () => {
    const yesterday = newcomer();
    const sameAgain = { ...yesterday };
    await view(warren.app, `${THESIS}?utm_source=newsletter`, yesterday);
    warren.clock.advance(DAY);
    expect(await attemptSource(await checkout(warren.app, sameAgain, `${APP_URL}${THESIS}`))).toEqual(DIRECT);
    // The browser still on yesterday's tab: the buy page's Referer is the campaign's URL.
    const tabKeptOpen = newcomer();
    await view(warren.app, `${THESIS}?utm_source=newsletter`, tabKeptOpen);
    warren.clock.advance(DAY);
    expect(await attemptSource(await checkout(warren.app, tabKeptOpen, `${APP_URL}${THESIS}?utm_source=newsletter`))).toEqual({ ...DIRECT, utmSource: 'newsletter' });
  });
});

describe('The scripted scenario of issue 19 on one instance', () => {
  let warren: Warren;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN, TRUST_PROXY: '1' });
  });
  afterAll(() => warren.close());

  it('When 9 public views by 4 visitors, 5 buy page views, 4 checkouts, 3 paid, 1 refunded, 1 from ?utm_source=newsletter, a bot and a prefetch happen, then the analytics page and both CSVs show exactly those numbers', async () => {
    await playBuyerScenario(warren, warren.app, warren.app);
    await warren.deps.pageViews.flush();
    await expectScenarioNumbers(await signInAdmin(warren));
    // Nothing about a visitor is stored but the counts and, with each checkout, its four source values.
    const attempts = await warren.db.checkoutAttempt.findMany({ select: { sourceReferrer: true, sourceUtmSource: true, sourceUtmCampaign: true, sourceRef: true } });
    expect(JSON.stringify(attempts)).not.toMatch(/198\.51|Mozilla|crawler|prefetched/);
  });

  it('When there were no purchases in the period, then the table says so and the CSV has its header only', async () => {
    warren.clock.advance(100 * DAY);
    const admin = await signInAdmin(warren);
    expect((await admin.get('/admin/theses/decode-singularity/analytics?days=7').expect(200)).text).toContain('No purchases in this period.');
    expect((await admin.get('/admin/theses/decode-singularity/analytics/sources.csv?days=7').expect(200)).text).toBe(
      '"source","referrer","utm_source","utm_campaign","ref","paid","refunded_or_disputed"\r\n',
    );
    expect((await admin.get('/admin/theses/decode-singularity/analytics/sources.csv?days=8').expect(400)).text).toContain('The period must be 7, 30 or 90 days');
    expect((await request(warren.app).get('/admin/theses/decode-singularity/analytics/sources.csv').expect(303)).headers.location).toMatch(/^\/login/);
  });
});

describe('purchaseSources(db, period, thesisId?): the plain function the dashboard can call', () => {
  let warren: Warren;
  let demoId: string;
  let otherId: string;

  beforeAll(async () => {
    warren = await startWarren();
    demoId = (await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'decode-singularity' } })).id;
    const now = warren.clock.now();
    const other = await warren.db.thesis.create({
      data: { slug: 'second-thesis', series: 'S', subject: 'S', title: 'Second', tagline: 'T', priceAmount: 7500, publicBody: 'Body', createdAt: now, updatedAt: now },
    });
    otherId = other.id;
  });
  afterAll(() => warren.close());

  let n = 0;
  /** A purchase as fulfilment leaves it, with its attempt's source and the admin's refunds of it. */
  async function sale(thesisId: string, sale: { currency?: string; amount?: number; status?: string; daysAgo?: number; source?: Partial<BuyerSource>; refunds?: [number, string][] }) {
    const at = new Date(warren.clock.now().getTime() - (sale.daysAgo ?? 0) * DAY);
    const user = await warren.db.user.create({ data: { email: `source-buyer${++n}@example.com`, createdAt: at } });
    const checkoutSessionId = `cs_source_${n}`;
    const source = { ...DIRECT, ...sale.source };
    await warren.db.checkoutAttempt.create({
      data: {
        id: `source-attempt-${n}`, checkoutSessionId, thesisId, userId: user.id, amount: sale.amount ?? 7500, currency: sale.currency ?? 'cad', mode: 'payment', livemode: false,
        status: 'fulfilled', attestationVersion: 'v1', attestationText: 'three statements', attestedAt: at, attestedIp: '', createdAt: at, updatedAt: at,
        sourceReferrer: source.referrer, sourceUtmSource: source.utmSource, sourceUtmCampaign: source.utmCampaign, sourceRef: source.ref,
      },
    });
    const purchase = await warren.db.purchase.create({
      data: { checkoutSessionId, userId: user.id, thesisId, amount: sale.amount ?? 7500, currency: sale.currency ?? 'cad', status: sale.status ?? 'paid', createdAt: at },
    });
    for (const [index, [amount, status]] of (sale.refunds ?? []).entries()) {
      await warren.db.adminRefund.create({
        data: { id: `refund-${n}-${index}`, purchaseId: purchase.id, amount, currency: purchase.currency, reason: 'requested_by_customer', requestedBy: ADMIN, status, createdAt: at, updatedAt: at },
      });
    }
  }

  it('When purchases of two theses in two currencies come from a few sources, then each source has its paid purchases and net revenue per currency, refunded or disputed apart, one thesis or all', async () => {
    const newsletter = { utmSource: 'newsletter', utmCampaign: 'december' };
    await sale(demoId, { source: newsletter });
    await sale(demoId, { source: newsletter, refunds: [[1000, 'succeeded'], [500, 'failed']] });
    await sale(demoId, { source: newsletter, currency: 'usd', amount: 5000 });
    await sale(otherId, { source: newsletter });
    await sale(otherId, { source: { referrer: 'example.org' }, status: 'disputed' });
    await sale(demoId, { source: { ref: 'friend' }, status: 'refunded' });
    await sale(demoId, { daysAgo: 40 }); // outside the period
    const period = periodEnding(warren.clock.now(), 30);

    const all = await purchaseSources(warren.db, period);
    expect(all).toEqual([
      { label: 'newsletter', referrerDomain: null, utmSource: 'newsletter', utmCampaign: 'december', ref: null, purchases: 4, refundedOrDisputed: 0, revenue: [{ currency: 'cad', amount: 21_500 }, { currency: 'usd', amount: 5_000 }] },
      { label: 'example.org', referrerDomain: 'example.org', utmSource: null, utmCampaign: null, ref: null, purchases: 0, refundedOrDisputed: 1, revenue: [] },
      { label: 'friend', referrerDomain: null, utmSource: null, utmCampaign: null, ref: 'friend', purchases: 0, refundedOrDisputed: 1, revenue: [] },
    ]);
    expect(all.map(revenueText)).toEqual(['$215 CAD + $50 USD', '—', '—']);
    expect(purchaseSourcesCsvRows(all)).toEqual({
      header: ['source', 'referrer', 'utm_source', 'utm_campaign', 'ref', 'paid', 'refunded_or_disputed', 'revenue_cad', 'revenue_usd'],
      rows: [
        ['newsletter', null, 'newsletter', 'december', null, 4, 0, '215.00', '50.00'],
        ['example.org', 'example.org', null, null, null, 0, 1, '0.00', '0.00'],
        ['friend', null, null, null, 'friend', 0, 1, '0.00', '0.00'],
      ],
    });
    expect((await purchaseSources(warren.db, period, otherId)).map((row) => [row.label, row.purchases, row.refundedOrDisputed, revenueText(row)])).toEqual([
      ['newsletter', 1, 0, '$75 CAD'],
      ['example.org', 0, 1, '—'],
    ]);
    // The older purchase is in a 90-day period: it had no source.
    expect((await purchaseSources(warren.db, periodEnding(warren.clock.now(), 90), demoId)).map((row) => [row.label, row.purchases])).toEqual([
      ['newsletter', 3],
      ['Direct or unknown', 1],
      ['friend', 0],
    ]);
  });
});
