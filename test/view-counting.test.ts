import type { IncomingMessage } from 'node:http';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { clientAddress, isCountableView } from '../server/analytics/countable-view.ts';
import { DailyVisitors } from '../server/analytics/daily-visitors.ts';
import { formatRate, funnelCsvRows, funnelSteps } from '../server/analytics/funnel.ts';
import { parsePeriodDays, periodEnding } from '../server/analytics/period.ts';
import { TestClock } from './support/harness.ts';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const DAY = 24 * 60 * 60 * 1000;

/** Just what the decision reads of a request. */
const requestOf = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as IncomingMessage;

describe('Which requests count as a view', () => {
  it('When a browser GETs a page, then it counts; HEAD, POST, bots, prefetches and a missing user agent do not', () => {
    expect(isCountableView(requestOf('GET', { 'user-agent': BROWSER }))).toBe(true);
    expect(isCountableView(requestOf('HEAD', { 'user-agent': BROWSER }))).toBe(false);
    expect(isCountableView(requestOf('POST', { 'user-agent': BROWSER }))).toBe(false);
    expect(isCountableView(requestOf('GET', { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }))).toBe(false);
    expect(isCountableView(requestOf('GET', { 'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)' }))).toBe(false);
    expect(isCountableView(requestOf('GET', { 'user-agent': 'curl/8.5.0' }))).toBe(false);
    expect(isCountableView(requestOf('GET', { 'user-agent': BROWSER, 'sec-purpose': 'prefetch' }))).toBe(false);
    expect(isCountableView(requestOf('GET', { 'user-agent': BROWSER, 'sec-purpose': 'prefetch;prerender' }))).toBe(false);
    expect(isCountableView(requestOf('GET', { 'user-agent': BROWSER, purpose: 'prefetch' }))).toBe(false);
    expect(isCountableView(requestOf('GET', {}))).toBe(false);
    expect(isCountableView(requestOf('GET', { 'user-agent': '' }))).toBe(false);
  });

  it('When requests come through proxies, then the visitor address is the one Express gives req.ip for the same trust proxy', async () => {
    const forwardedFor = [undefined, '203.0.113.9', '198.51.100.1, 203.0.113.9', '10.0.0.1,198.51.100.1 , 203.0.113.9'];
    for (const hops of [0, 1, 2, 5]) {
      const app = express();
      if (hops > 0) app.set('trust proxy', hops);
      app.get('/', (req, res) => res.json({ express: req.ip, ours: clientAddress(req, hops) }));
      for (const header of forwardedFor) {
        const call = request(app).get('/');
        const { body } = await (header === undefined ? call : call.set('X-Forwarded-For', header)).expect(200);
        expect(body.ours, `${hops} hops, X-Forwarded-For ${header}`).toBe(body.express);
      }
    }
  });
});

describe('Unique visitors per day, in memory', () => {
  it('When the same visitor comes back the same day, then only the first visit is new; another page, address or browser is another visitor', () => {
    const visitors = new DailyVisitors(100);
    expect(visitors.firstVisitToday('d1', '192.0.2.1', BROWSER, 'thesis a')).toBe(true);
    expect(visitors.firstVisitToday('d1', '192.0.2.1', BROWSER, 'thesis a')).toBe(false);
    expect(visitors.firstVisitToday('d1', '192.0.2.1', BROWSER, 'buy a')).toBe(true);
    expect(visitors.firstVisitToday('d1', '192.0.2.2', BROWSER, 'thesis a')).toBe(true);
    expect(visitors.firstVisitToday('d1', '192.0.2.1', `${BROWSER} Edge`, 'thesis a')).toBe(true);
    expect(visitors.size).toBe(4);
  });

  it('When the day changes, then the set is emptied, the salt renewed, and the visitor counts again', () => {
    let salts = 0;
    const visitors = new DailyVisitors(100, undefined, () => Buffer.from(`salt ${++salts}`));
    visitors.firstVisitToday('d1', '192.0.2.1', BROWSER, 'thesis a');
    visitors.firstVisitToday('d1', '192.0.2.2', BROWSER, 'thesis a');
    expect(visitors.firstVisitToday('d2', '192.0.2.1', BROWSER, 'thesis a')).toBe(true);
    expect(visitors.size).toBe(1);
    expect(salts).toBe(2);
  });

  it('When more visitors come than the cap, then the set stops growing, newcomers are not unique, those seen stay seen, and the warning comes once', () => {
    const full: string[] = [];
    const visitors = new DailyVisitors(3, (day) => full.push(day));
    const newcomers = ['1', '2', '3', '4', '5'].map((n) => visitors.firstVisitToday('d1', `192.0.2.${n}`, BROWSER, 'thesis a'));
    expect(newcomers).toEqual([true, true, true, false, false]);
    expect(visitors.firstVisitToday('d1', '192.0.2.1', BROWSER, 'thesis a')).toBe(false);
    expect(visitors.size).toBe(3);
    expect(full).toEqual(['d1']);
    // A new day starts with room again.
    expect(visitors.firstVisitToday('d2', '192.0.2.4', BROWSER, 'thesis a')).toBe(true);
  });
});

describe('The funnel numbers', () => {
  const counts = { publicViews: 9, publicVisitors: 5, buyViews: 6, buyVisitors: 4, checkoutsStarted: 4, paid: 2, refundedOrDisputed: 1, abandoned: 1 };

  it('When every step has a base, then each step is a share of the one before, refunds of all purchases, abandoned of checkouts started', () => {
    const steps = funnelSteps(counts);
    expect(steps.map((step) => [step.key, step.count, step.rate && formatRate(step.rate.value)])).toEqual([
      ['public_page_views', 9, undefined],
      ['public_page_visitors', 5, undefined],
      ['buy_page_views', 6, undefined],
      ['buy_page_visitors', 4, '80%'],
      ['checkouts_started', 4, '100%'],
      ['paid', 2, '50%'],
      ['refunded_or_disputed', 1, '33.3%'],
      ['checkouts_abandoned', 1, '25%'],
    ]);
  });

  it('When a base is zero, then its share reads "—", on the page and in the CSV', () => {
    const none = funnelSteps({ ...counts, publicVisitors: 0, checkoutsStarted: 0, paid: 0, refundedOrDisputed: 0 });
    expect(none.filter((step) => step.rate?.value === null).map((step) => step.key)).toEqual(['buy_page_visitors', 'paid', 'refunded_or_disputed', 'checkouts_abandoned']);
    expect(formatRate(null)).toBe('—');
    expect(funnelCsvRows(none).rows.find((row) => row[0] === 'paid')).toEqual(['paid', 0, '—', 'checkouts started']);
  });

  it('When a period is asked for, then only 7, 30 or 90 days are accepted, 30 by default, ending today on the clock', () => {
    expect([undefined, '7', '30', '90'].map(parsePeriodDays)).toEqual([30, 7, 30, 90]);
    expect(['abc', '14', '', '7.0', ['7']].map(parsePeriodDays)).toEqual([null, null, null, null, null]);
    const now = new TestClock().now();
    const week = periodEnding(now, 7);
    expect(week.toDay).toBe(now.toISOString().slice(0, 10));
    expect(week.fromDay).toBe(new Date(now.getTime() - 6 * DAY).toISOString().slice(0, 10));
    expect(week.until.getTime() - week.from.getTime()).toBe(7 * DAY);
    expect(week.from.toISOString()).toBe(`${week.fromDay}T00:00:00.000Z`);
  });
});
