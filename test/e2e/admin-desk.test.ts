import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { LAPTOP, PHONE, docsPicture, launchChromium } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { DEMO_SLUG, buyFromThesisPage, expectAccessible, expectNoSidewaysScroll, signInFromLoginPage } from './support/flows.ts';

const ADMIN = 'publisher@warren.test';

describe("The publisher's desk on a phone and on a laptop", () => {
  let site: Site;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite({ adminEmails: [ADMIN] }), launchChromium()]);
    page = await (await browser.newContext({ viewport: PHONE })).newPage();
    await page.goto(`${site.url}/login?next=${encodeURIComponent('/admin')}`);
    await signInFromLoginPage(page, site, ADMIN);
    await page.waitForURL(`${site.url}/admin`);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('When the admin opens the desk and a thesis\'s signals at 390 and 1280 px, then the navigation marks the section, nothing scrolls sideways and axe finds nothing serious', async () => {
    for (const [device, viewport] of [['phone', PHONE], ['desktop', LAPTOP]] as const) {
      await page.setViewportSize(viewport);
      await page.goto(`${site.url}/admin`);
      const nav = page.getByRole('navigation', { name: 'Admin' });
      expect(await nav.locator('[aria-current="page"]').textContent()).toBe('Desk');
      await expectNoSidewaysScroll(page);
      await expectAccessible(page);
      await docsPicture(page, `17-admin-desk-${device}`, { fullPage: true });

      await page.goto(`${site.url}/admin/theses/${DEMO_SLUG}/signals`);
      expect(await nav.locator('[aria-current="page"]').textContent()).toBe('Signals');
      await expectNoSidewaysScroll(page);
      await expectAccessible(page);
      await docsPicture(page, `17-admin-signals-${device}`, { fullPage: true });

      // The member search: a styled box with its button beside it.
      await page.goto(`${site.url}/admin/members`);
      const search = page.getByLabel('Search by e-mail');
      const [box, button] = [await search.boundingBox(), await page.getByRole('button', { name: 'Search' }).boundingBox()];
      expect(Math.abs(box!.y + box!.height / 2 - (button!.y + button!.height / 2))).toBeLessThan(4); // one line
      expect(await search.evaluate((node) => getComputedStyle(node).borderTopLeftRadius)).toBe('6px');
      await expectNoSidewaysScroll(page);
      await expectAccessible(page);
      await docsPicture(page, `17-admin-members-${device}`, { fullPage: true });
      // A thesis's funnel: a table with its caption, the period picker, no serious axe finding.
      await page.goto(`${site.url}/admin/theses/${DEMO_SLUG}/analytics?days=7`);
      expect(await page.getByRole('navigation', { name: 'Period' }).locator('[aria-current="page"]').textContent()).toBe('last 7 days');
      expect(await page.getByRole('table').locator('tbody tr').count()).toBeGreaterThan(3);
      await expectNoSidewaysScroll(page);
      await expectAccessible(page);
      await docsPicture(page, `19-thesis-funnel-${device}`, { fullPage: true });
      for (const other of ['/admin/theses', '/admin/mail', '/admin/pages']) {
        await page.goto(`${site.url}${other}`);
        await expectNoSidewaysScroll(page);
      }
    }
  });

  it('When the admin previews and records an update from a signal\'s own form, then the confirmation shows where they land', async () => {
    await page.goto(`${site.url}/admin/theses/${DEMO_SLUG}/signals`);
    await page.getByRole('table').getByRole('link', { name: /^Record update/ }).first().click();
    await page.waitForURL('**/new');
    await page.getByLabel('New status').selectOption({ value: 'strengthening' });
    await page.getByLabel('Evidence note (Markdown)').fill('Orders **doubled** quarter on quarter.');
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.locator('.note-preview strong').textContent()).toBe('doubled');
    await expectAccessible(page);
    await docsPicture(page, '17-admin-signal-form-desktop', { fullPage: true });
    await page.getByRole('button', { name: 'Record update' }).click();
    await page.waitForURL('**?recorded=*');
    expect(await page.getByRole('status').textContent()).toMatch(/^Update #\d+ recorded\.$/);
    await expectAccessible(page);
  });

  it('When a visitor has bought and the admin picks a period and a grouping on the dashboard at 390 and 1280 px, then the charts are images with their tables, nothing scrolls sideways and axe finds nothing serious', async () => {
    const visitor = await (await browser.newContext({ viewport: LAPTOP })).newPage();
    await visitor.goto(`${site.url}/theses/${DEMO_SLUG}`);
    await buyFromThesisPage(visitor, 'dashboard-buyer@example.com', { checkEachPage: false });
    await visitor.context().close();

    for (const [device, viewport] of [['phone', PHONE], ['desktop', LAPTOP]] as const) {
      await page.setViewportSize(viewport);
      await page.goto(`${site.url}/admin`);
      // The pickers are a plain GET form: no script needed.
      await page.getByLabel('Period', { exact: true }).selectOption('7');
      await page.getByLabel('Group by').selectOption('week');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL('**/admin?period=7&granularity=week');
      const charts = page.locator('svg.chart[role="img"]');
      expect(await charts.count()).toBe(3); // revenue in CAD, the funnel, new members
      for (const chart of await charts.all()) {
        expect(await chart.isVisible()).toBe(true);
        expect((await chart.boundingBox())!.width).toBeLessThanOrEqual(viewport.width);
      }
      expect(await page.locator('table.dashboard-revenue tfoot').textContent()).toContain('$75 CAD');
      await expectNoSidewaysScroll(page);
      await expectAccessible(page);
      await docsPicture(page, `19-dashboard-${device}`, { fullPage: true });
    }
    // In dark mode the charts take the page's colours: light text on the dark page, still axe clean.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    const textColour = await page.locator('svg.chart text').first().evaluate((node) => getComputedStyle(node).fill);
    const pageColour = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(textColour).not.toBe(pageColour);
    expect(textColour).toBe('rgb(236, 231, 220)'); // --ink in dark mode
    await expectAccessible(page);
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
