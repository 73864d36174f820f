import { describe, expect, it } from 'vitest';
import { bucketOf, bucketsOf } from '../server/analytics/buckets.ts';
import { periodEnding } from '../server/analytics/period.ts';
import { moneyOf } from '../server/analytics/revenue.ts';
import { axisTop, barChartSvg } from '../server/analytics/svg-chart.ts';
import { csvField } from '../server/admin/csv.ts';

describe('Dashboard buckets, charts and CSV cells', () => {
  it('When a moment falls on any day of the week, then its week is named by that Monday in UTC', () => {
    // 2026-11-29 is a Sunday, 2026-11-30 a Monday.
    expect(bucketOf(new Date('2026-11-29T23:59:59Z'), 'week')).toBe('2026-11-23');
    expect(bucketOf(new Date('2026-11-30T00:00:00Z'), 'week')).toBe('2026-11-30');
    expect(bucketOf(new Date('2026-12-06T12:00:00Z'), 'week')).toBe('2026-11-30');
    expect(bucketOf(new Date('2027-01-01T00:00:00Z'), 'week')).toBe('2026-12-28');
    expect(bucketOf(new Date('2026-12-31T23:00:00Z'), 'month')).toBe('2026-12');
  });

  it('When a 30-day period is grouped, then it has 30 days, the weeks it touches and the months it touches, in order', () => {
    const period = periodEnding(new Date('2026-12-02T10:00:00Z'), 30); // 2026-11-03 … 2026-12-02
    expect(bucketsOf(period, 'day')).toHaveLength(30);
    expect(bucketsOf(period, 'day')[0]).toBe('2026-11-03');
    expect(bucketsOf(period, 'week')).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30']);
    expect(bucketsOf(period, 'month')).toEqual(['2026-11', '2026-12']);
  });

  it('When a purchase is partly refunded, refunded in full or lost in a dispute, then its columns follow the README', () => {
    const base = { thesisId: 't', currency: 'cad', createdAt: new Date(0), amount: 8475, discountAmount: 0, taxAmount: 975, status: 'paid', adminRefunded: 0 };
    expect(moneyOf(base)).toEqual({ gross: 8475, discounts: 0, tax: 975, refunds: 0, disputes: 0, net: 7500 });
    expect(moneyOf({ ...base, adminRefunded: 1000 })).toEqual({ gross: 8475, discounts: 0, tax: 975, refunds: 1000, disputes: 0, net: 6500 });
    expect(moneyOf({ ...base, status: 'refunded', adminRefunded: 1000 })).toEqual({ gross: 8475, discounts: 0, tax: 0, refunds: 8475, disputes: 0, net: 0 });
    expect(moneyOf({ ...base, status: 'dispute_lost', adminRefunded: 1000 })).toEqual({ gross: 8475, discounts: 0, tax: 0, refunds: 1000, disputes: 7475, net: 0 });
    expect(moneyOf({ ...base, status: 'disputed' })).toMatchObject({ disputes: 8475, net: 0 });
  });

  it('When a chart is drawn, then it is an image with its title and description, its text escaped, and no script or fixed colour', () => {
    const svg = barChartSvg(
      { title: 'Net <revenue> & "more"', description: "Bars; the table has them", bars: [{ label: '<b>x</b>', value: 7500 }, { label: 'y', value: 0 }], format: (v) => `$${v / 100}` },
      'chart-test',
    );
    expect(svg).toMatch(/^<svg class="chart" id="chart-test" role="img" aria-labelledby="chart-test-title chart-test-desc" viewBox="0 0 640 240"/);
    expect(svg).toContain('<title id="chart-test-title">Net &#60;revenue&#62; &#38; &#34;more&#34;</title>');
    expect(svg).toContain('&#60;b&#62;x&#60;/b&#62;');
    expect(svg).not.toMatch(/<script|<b>|#[0-9a-f]{6}|on[a-z]+=/i);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('>$75<'); // the value over its bar
    expect([axisTop(0), axisTop(3), axisTop(7500), axisTop(12)]).toEqual([1, 5, 10000, 20]);
  });

  it('When a CSV cell starts with = + - or @, then it is defused with an apostrophe', () => {
    expect(['=SUM(A1)', '+1', '-2', '@x', 'plain'].map(csvField)).toEqual(['"\'=SUM(A1)"', '"\'+1"', '"\'-2"', '"\'@x"', '"plain"']);
  });
});
