// The scripted scenario of issue 19 ("Where buyers come from"): views, buy pages, checkouts, sales,
// a refund and a newsletter sale, played against one or several instances of the site.
import type { Server } from 'node:http';
import request from 'supertest';
import { expect } from 'vitest';
import type { Express } from 'express';
import { APP_URL, ATTESTED, DEMO_SLUG, WEBHOOK_SECRET, csrfToken, expectStatus, type Warren } from './harness.ts';

export const THESIS = `/theses/${DEMO_SLUG}`;
export const BUY = `${THESIS}/buy`;
export const ANALYTICS = `/admin/theses/${DEMO_SLUG}/analytics`;
export const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
export const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** A person's browser: the app trusts one proxy (TRUST_PROXY=1), so X-Forwarded-For is their address. */
export interface Browser {
  ip: string;
  ua: string;
}

/** The app, or the site's server (its front server answers stored pages before Express). */
export type Site = Express | Server;

/** An anonymous GET (no cookie: the public page may come from memory), as a browser sends it. */
export const view = (app: Site, path: string, browser: Browser, headers: Record<string, string> = {}) =>
  request(app).get(path).set({ 'User-Agent': browser.ua, 'X-Forwarded-For': browser.ip, ...headers }).expect(200);

/** The buy page (opened from `referer`, as a browser sends it under Referrer-Policy same-origin), then its form: the checkout session's id. */
export async function checkout(app: Express, browser: Browser, referer?: string): Promise<string> {
  const agent = request.agent(app).set({ 'User-Agent': browser.ua, 'X-Forwarded-For': browser.ip });
  const page = await (referer ? agent.get(BUY).set('Referer', referer) : agent.get(BUY)).expect(200);
  const attempt = /name="attempt" value="([^"]+)"/.exec(page.text)![1];
  const posted = expectStatus(
    await agent.post(`${THESIS}/checkout`).set('Referer', `${APP_URL}${BUY}`).type('form').send({ attempt, ...ATTESTED, _csrf: csrfToken(page.text) }),
    303,
  );
  return new URL(posted.headers.location).pathname.split('/').pop()!;
}

/** A signed Stripe event delivered to one instance. */
export function deliverTo(app: Express, warren: Warren, type: string, object: unknown) {
  const signed = warren.stripe.signedEvent(type, object, WEBHOOK_SECRET);
  return request(app).post('/webhooks/stripe').set('Content-Type', 'application/json').set('Stripe-Signature', signed.signature).send(signed.body).expect(200);
}

export const PEOPLE = {
  reader: { ip: '198.51.100.21', ua: CHROME }, // from the newsletter
  hacker: { ip: '198.51.100.22', ua: FIREFOX }, // from a link on news.ycombinator.com
  regular: { ip: '198.51.100.23', ua: CHROME }, // typed the address
  browsing: { ip: '198.51.100.24', ua: FIREFOX }, // came from our own home page
} satisfies Record<string, Browser>;

/**
 * Plays the scenario on `a` and `b` (the same app for one instance): N = 9 public views from M = 4
 * visitors, K = 5 buy page views (4 visitors), J = 4 checkouts started, P = 3 paid of which one is
 * then refunded, one from ?utm_source=newsletter, one abandoned; and a bot and a prefetch (with their
 * own campaign) that must count for nothing. With two instances a visitor's views and checkout land
 * on different ones where the source survives it (see server/analytics/README.md).
 */
export async function playBuyerScenario(warren: Warren, a: Express, b: Express): Promise<void> {
  const { reader, hacker, regular, browsing } = PEOPLE;
  const fromNewsletter = `${THESIS}?utm_source=newsletter&utm_campaign=december`;
  // Public pages: 2 + 2 + 3 + 2 = 9 views by 4 visitors, each on one instance (unique visitors are
  // known per instance: one seen on both would count once on each).
  await view(a, fromNewsletter, reader);
  await view(a, THESIS, reader);
  await view(a, THESIS, hacker, { Referer: 'https://news.ycombinator.com/item?id=42' });
  await view(a, THESIS, hacker);
  for (let n = 0; n < 3; n++) await view(b, THESIS, regular);
  for (let n = 0; n < 2; n++) await view(b, THESIS, browsing, { Referer: `${APP_URL}/` });
  // Not people: counted nowhere, and their campaign is no one's source.
  await view(a, `${THESIS}?utm_source=crawler`, { ip: '192.0.2.80', ua: GOOGLEBOT });
  await view(b, `${THESIS}?utm_source=crawler`, { ip: '192.0.2.80', ua: GOOGLEBOT });
  await view(a, `${THESIS}?utm_source=prefetched`, { ip: '192.0.2.81', ua: CHROME }, { 'Sec-Purpose': 'prefetch' });

  // Buy pages and checkouts: 4 checkouts (a buy page view each) and one more buy page view.
  // The reader opens the buy page from the newsletter's URL on the other instance: its Referer carries the campaign.
  const readerSession = await checkout(b, reader, `${APP_URL}${fromNewsletter}`);
  const hackerSession = await checkout(a, hacker, `${APP_URL}${THESIS}`);
  await view(a, BUY, regular, { Referer: `${APP_URL}${THESIS}` });
  const regularSession = await checkout(a, regular, `${APP_URL}${THESIS}`);
  const browsingSession = await checkout(b, browsing, `${APP_URL}${THESIS}`);

  // Three paid, one of them refunded in full; one left to expire.
  for (const [session, email, app] of [
    [readerSession, 'reader@example.com', b],
    [hackerSession, 'hacker@example.com', a],
    [regularSession, 'regular@example.com', a],
  ] as const) {
    await deliverTo(app, warren, 'checkout.session.completed', warren.stripe.pay(session, email));
  }
  await deliverTo(b, warren, 'charge.refunded', warren.stripe.charge(warren.stripe.sessions.get(hackerSession)!, 'full'));
  const expired = Object.assign(warren.stripe.sessions.get(browsingSession)!, { status: 'expired' });
  await deliverTo(a, warren, 'checkout.session.expired', expired);
}

/** Each funnel row of the analytics page: step → [number, conversion]. */
export function funnelTable(html: string): Record<string, [string, string]> {
  const rows = [...html.matchAll(/<tr data-step="([a-z_]+)"><th scope="row">[^<]*<\/th><td>(\d+)<\/td><td>(.*?)<\/td><\/tr>/g)];
  return Object.fromEntries(rows.map(([, key, count, conversion]) => [key, [count, conversion.replace(/<[^>]+>/g, '').trim()]]));
}

/** The "Where buyers come from" table: each row's cells as text. */
export function sourcesTable(html: string): string[][] {
  return [...html.matchAll(/<tr data-source>(.*?)<\/tr>/g)].map(([, row]) =>
    [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map(([, cell]) => cell.replace(/&#x2F;/g, '/').trim()),
  );
}

/** What the scenario must show, on one instance or several. */
export async function expectScenarioNumbers(admin: ReturnType<typeof request.agent>): Promise<void> {
  // The thesis's analytics page and the dashboard (all theses: only this one was visited or bought).
  for (const path of [ANALYTICS, '/admin']) {
    const page = await admin.get(path).expect(200);
    expect(funnelTable(page.text), path).toEqual({
      public_page_views: ['9', ''],
      public_page_visitors: ['4', ''],
      buy_page_views: ['5', ''],
      buy_page_visitors: ['4', '100% of public page visitors'],
      checkouts_started: ['4', '100% of buy page visitors'],
      paid: ['2', '50% of checkouts started'],
      refunded_or_disputed: ['1', '33.3% of purchases (paid, refunded or disputed)'],
      checkouts_abandoned: ['1', '25% of checkouts started'],
    });
    expect(sourcesTable(page.text), path).toEqual([
      ['Direct or unknown', '', '1', '0', '$75 CAD'],
      ['newsletter', 'utm_source newsletter · utm_campaign december', '1', '0', '$75 CAD'],
      ['news.ycombinator.com', 'referrer news.ycombinator.com', '0', '1', '—'],
    ]);
  }
  for (const path of [`${ANALYTICS}.csv`, '/admin/analytics.csv?table=funnel']) {
    const funnelCsv = await admin.get(path).expect(200);
    expect(funnelCsv.text.split('\r\n').slice(1, -1), path).toEqual([
      '"public_page_views","9","",""',
      '"public_page_visitors","4","",""',
      '"buy_page_views","5","",""',
      '"buy_page_visitors","4","100%","public page visitors"',
      '"checkouts_started","4","100%","buy page visitors"',
      '"paid","2","50%","checkouts started"',
      '"refunded_or_disputed","1","33.3%","purchases (paid, refunded or disputed)"',
      '"checkouts_abandoned","1","25%","checkouts started"',
    ]);
  }
  const sourcesCsv = await admin.get(`${ANALYTICS}/sources.csv`).expect(200);
  expect(sourcesCsv.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(sourcesCsv.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="?${DEMO_SLUG}-buyer-sources-\\d{4}-\\d{2}-\\d{2}-to-\\d{4}-\\d{2}-\\d{2}\\.csv"?$`));
  const expectedSources = [
    '"source","referrer","utm_source","utm_campaign","ref","paid","refunded_or_disputed","revenue_cad"',
    '"Direct or unknown","","","","","1","0","75.00"',
    '"newsletter","","newsletter","december","","1","0","75.00"',
    '"news.ycombinator.com","news.ycombinator.com","","","","0","1","0.00"',
    '',
  ];
  expect(sourcesCsv.text.split('\r\n')).toEqual(expectedSources);
  expect((await admin.get('/admin/analytics.csv?table=sources').expect(200)).text.split('\r\n')).toEqual(expectedSources);
}
