import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLUG, startWarren, type Warren } from './support/harness.ts';
import { ADMIN, ADMIN_PAGE, demoSignals, recordUpdate, signInAdmin } from './support/signals.ts';

const DAY = 24 * 60 * 60 * 1000;

/** The text of the element with this id on a page. */
const byId = (html: string, id: string) => new RegExp(`id="${id}">([^<]*)<`).exec(html)?.[1];
/** The cells of the sales row for a period. */
const salesRow = (html: string, days: number) => new RegExp(`<tr data-days="${days}">(.*?)</tr>`).exec(html)?.[1].replace(/<[^>]+>/g, '|');

describe('The admin desk: numbers first, one navigation on every admin page', () => {
  let warren: Warren;
  let admin: Awaited<ReturnType<typeof signInAdmin>>;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
  });
  afterAll(() => warren.close());

  it('When sales, members and failed mail exist, then /admin counts only paid purchases within 7 and 30 days, per currency', async () => {
    // Arrange: five buyers; a refund and a sale older than 30 days must not count.
    const now = warren.clock.now();
    const { thesis } = await demoSignals(warren);
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const sales = [
      { email: 'week@example.com', days: 2, amount: 7500, currency: 'cad', status: 'paid' },
      { email: 'month@example.com', days: 20, amount: 5000, currency: 'usd', status: 'paid' },
      { email: 'month2@example.com', days: 25, amount: 2550, currency: 'cad', status: 'paid' },
      { email: 'refunded@example.com', days: 1, amount: 7500, currency: 'cad', status: 'refunded' },
      { email: 'old@example.com', days: 40, amount: 7500, currency: 'cad', status: 'paid' },
    ];
    for (const [n, sale] of sales.entries()) {
      const user = await warren.db.user.create({ data: { email: sale.email, createdAt: ago(sale.days) } });
      const purchase = await warren.db.purchase.create({
        data: { checkoutSessionId: `cs_desk_${n}`, userId: user.id, thesisId: thesis.id, amount: sale.amount, currency: sale.currency, status: sale.status, createdAt: ago(sale.days) },
      });
      await warren.db.entitlement.create({
        data: { userId: user.id, thesisId: thesis.id, purchaseId: purchase.id, status: sale.status === 'paid' ? 'active' : 'revoked', createdAt: ago(sale.days), updatedAt: now },
      });
    }
    // The admin refunded $5.50 of one paid sale (it stays paid) and tried to refund another (Stripe refused).
    const refundOf = async (checkoutSessionId: string, amount: number, status: string) => {
      const purchase = await warren.db.purchase.findUniqueOrThrow({ where: { checkoutSessionId } });
      await warren.db.adminRefund.create({
        data: { id: randomUUID(), purchaseId: purchase.id, amount, currency: purchase.currency, reason: 'requested_by_customer', requestedBy: ADMIN, status, createdAt: now, updatedAt: now },
      });
    };
    await refundOf('cs_desk_2', 550, 'succeeded');
    await refundOf('cs_desk_0', 1000, 'failed');
    await warren.db.user.create({ data: { email: 'reader-without-access@example.com', createdAt: now } });
    const mail = (status: string, n: number) => ({ dedupeKey: `desk-${status}-${n}`, template: 'admin-alert', recipient: ADMIN, payload: '{}', status, nextAttemptAt: now, createdAt: now });
    await warren.db.outboxMessage.createMany({ data: [mail('failed', 1), mail('failed', 2), mail('sent', 1)] });

    // Act
    const page = (await admin.get('/admin').expect(200)).text;

    // Assert
    expect(salesRow(page, 7)).toBe('|Last 7 days||1||$75 CAD|');
    // Net of the partial refund: 75 + 25.50 - 5.50 CAD.
    expect(salesRow(page, 30)).toBe('|Last 30 days||3||$95 CAD, $50 USD|');
    // Five people hold an entitlement (the refunded buyer's is revoked, but they are still a member).
    expect(byId(page, 'desk-members')).toBe('5');
    expect(byId(page, 'desk-failed-mail')).toBe('2');
    expect(page.indexOf('id="desk-numbers"')).toBeLessThan(page.indexOf('href="/admin/theses">Theses</a> —'));
    // The theses list counts the same way, over all time: four paid sales, the refund left out, the partial refund taken off.
    const list = (await admin.get('/admin/theses').expect(200)).text;
    const row = new RegExp(`href="/admin/theses/${thesis.slug}"[\\s\\S]*?</tr>`).exec(list)?.[0].replace(/<[^>]+>/g, '|');
    expect(row).toMatch(/\|4\|\s*\|\$170 CAD, \$50 USD\|/);
  });

  it('When signal updates are recorded, then the desk counts whole days since the last one on the test clock', async () => {
    expect(byId((await admin.get('/admin').expect(200)).text, 'desk-days-since-update')).toBe('no update yet');
    const { signals } = await demoSignals(warren);
    await recordUpdate(admin, { signalId: signals[0].id, status: 'strengthening', note: 'Evidence.' });
    expect(byId((await admin.get('/admin').expect(200)).text, 'desk-days-since-update')).toBe('0');
    warren.clock.advance(3 * DAY + 60 * 60 * 1000);
    expect(byId((await admin.get('/admin').expect(200)).text, 'desk-days-since-update')).toBe('3');
  });

  it('When the admin opens any admin page, then the same navigation comes first with its section marked current, and the back link right under it', async () => {
    const member = await warren.db.user.findUniqueOrThrow({ where: { email: 'week@example.com' } });
    const pages: [string, string | null][] = [
      ['/admin', null],
      ['/admin/theses', 'Theses'],
      [`/admin/theses/${DEMO_SLUG}`, 'Theses'],
      ['/admin/signals', 'Signals'],
      [ADMIN_PAGE, 'Signals'],
      ['/admin/members', 'Members'],
      [`/admin/members/${member.id}`, 'Members'],
      ['/admin/pages', 'Pages'],
      ['/admin/mail', 'Mail'],
    ];
    for (const [path, section] of pages) {
      const html = (await admin.get(path).expect(200)).text;
      const main = html.slice(html.indexOf('<main id="main">'));
      const nav = /^<main id="main">\s*<nav class="admin-nav" aria-label="Admin">([\s\S]*?)<\/nav>/.exec(main)?.[1];
      expect(nav, path).toBeDefined();
      for (const label of ['Theses', 'Signals', 'Members', 'Pages', 'Mail']) expect(nav).toContain(`>${label}</a>`);
      const current = [...nav!.matchAll(/<a [^>]*aria-current="page"[^>]*>([^<]+)<\/a>/g)].map((match) => match[1]);
      expect(current, path).toEqual([section ?? 'Desk']);
      // A page below a section has its back link in one place: the first thing after the navigation.
      const afterNav = main.slice(main.indexOf('</nav>') + 6).trimStart();
      if ([`/admin/theses/${DEMO_SLUG}`, ADMIN_PAGE, `/admin/members/${member.id}`].includes(path)) expect(afterNav, path).toMatch(/^<p class="admin-back"><a href="\/admin\//);
      else expect(afterNav, path).not.toContain('class="admin-back"');
    }
    // Public pages carry no admin navigation, even for an admin.
    expect((await admin.get(`/theses/${DEMO_SLUG}`).expect(200)).text).not.toContain('class="admin-nav"');
  });
});
