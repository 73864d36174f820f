import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { LAPTOP, PHONE, docsPicture, launchChromium } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { eventually } from '../support/cookie-client.ts';
import { DEMO_SLUG, DEMO_TITLE, buyFromThesisPage, expectAccessible, expectMembersLayer, expectNoSidewaysScroll, signInFromLoginPage } from './support/flows.ts';

const MEMBER = 'pocket.member@example.com';
const ADMIN = 'publisher@warren.test';
const THESIS = `/theses/${DEMO_SLUG}`;

/** For the issue: docs/17-member-<name>.png, the whole page. */
const picture = (page: Page, name: string) => docsPicture(page, `17-member-${name}`, { fullPage: true });

describe('A member on a phone and on a laptop', () => {
  let site: Site;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite({ adminEmails: [ADMIN] }), launchChromium()]);
    page = await (await browser.newContext({ viewport: PHONE })).newPage();
    await page.goto(`${site.url}${THESIS}`);
    await buyFromThesisPage(page, MEMBER, { checkEachPage: false });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('When the buyer lands on the success page, then it names the thesis and links to it, the board and alert settings', async () => {
    const main = page.locator('main');
    expect(await main.textContent()).toContain(`You bought ${DEMO_TITLE}.`);
    for (const [name, href] of [
      [`The thesis: ${DEMO_TITLE}`, THESIS],
      ['The signal board', `${THESIS}/signals`],
      ['Alert settings', '/account#alerts'],
    ]) {
      expect(await main.getByRole('link', { name, exact: true }).getAttribute('href')).toBe(href);
    }
    // Signed in by the checkout only (unverified): the address is not named here.
    expect(await main.textContent()).not.toContain(MEMBER);
    await expectNoSidewaysScroll(page);
    await expectAccessible(page);
    await picture(page, 'success-phone');
  });

  it('When the member, signed in from the inbox, opens their thesis, board and account at 390 and 1280 px, then nothing scrolls sideways and each page passes axe', async () => {
    await eventually(async () => site.inbox.to(MEMBER).length === 1, 'the receipt');
    await page.goto(`${site.url}/login?next=${encodeURIComponent(THESIS)}`);
    await signInFromLoginPage(page, site, MEMBER);
    await page.waitForURL(`${site.url}${THESIS}`);
    await expectMembersLayer(page);

    for (const [device, viewport] of [['phone', PHONE], ['desktop', LAPTOP]] as const) {
      await page.setViewportSize(viewport);

      await page.goto(`${site.url}${THESIS}`);
      const nav = page.getByRole('navigation', { name: 'Account' });
      expect(await nav.getByRole('link', { name: 'Your theses' }).getAttribute('href')).toBe('/account#your-theses');
      expect(await nav.getByRole('link', { name: 'Account' }).isVisible()).toBe(true);
      expect(await nav.getByRole('link', { name: 'Admin' }).count()).toBe(0);
      const owned = page.locator('.thesis-owned');
      expect(await owned.getByRole('heading', { level: 2, name: 'You own this' }).isVisible()).toBe(true);
      expect(await owned.getByRole('link', { name: 'Signal board' }).getAttribute('href')).toBe(`${THESIS}/signals`);
      await expectNoSidewaysScroll(page);
      await expectAccessible(page);
      await picture(page, `thesis-${device}`);
      await docsPicture(page.locator('.thesis-header'), `17-member-thesis-owned-${device}`);

      await page.goto(`${site.url}${THESIS}/signals`);
      const grid = page.locator('.status-grid');
      expect(await grid.locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
      // With JavaScript a moved signal's time reads relative to now; the exact UTC time stays in its title.
      const moved = grid.locator('time[data-relative-time]').first();
      await eventually(async () => ((await moved.getAttribute('title')) ?? '').includes(' · '), 'a local relative time');
      expect(await moved.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · .+ your time$/);
      // "3 days ago", "last week"…: no longer the server's UTC day ("November 26, 2026").
      expect(await moved.textContent()).not.toMatch(/^[A-Z][a-z]+ \d{1,2}, \d{4}$/);
      // The proof is there on demand.
      const verify = page.locator('details.signal-chain');
      expect(await verify.locator('[data-chain-head]').isVisible()).toBe(false);
      await verify.locator('summary', { hasText: 'Verify this record' }).click();
      expect(await verify.locator('[data-chain-head]').isVisible()).toBe(true);
      await expectNoSidewaysScroll(page);
      await expectAccessible(page);
      await picture(page, `board-${device}`);

      await page.goto(`${site.url}/account`);
      const purchase = page.locator('table.purchases tbody tr').first();
      expect(await purchase.textContent()).toContain(DEMO_TITLE);
      // Stacked below ~40rem: each cell under the other, so the row is taller than one line.
      const box = (await purchase.boundingBox())!;
      if (device === 'phone') expect(box.height).toBeGreaterThan(100);
      else expect(box.height).toBeLessThan(80);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      await expectNoSidewaysScroll(page);
      await expectAccessible(page);
      await picture(page, `account-${device}`);

      // The numbered receipt the row links to: the whole document readable at this size, and printed
      // without the site's header, footer or links.
      await purchase.getByRole('link', { name: /^Receipt W-\d{6}/ }).click();
      await page.getByRole('heading', { level: 1, name: /^Receipt W-\d{6}$/ }).waitFor();
      expect(await page.locator('main').textContent()).toContain('Total (CAD)');
      await expectNoSidewaysScroll(page);
      await expectAccessible(page);
      await picture(page, `receipt-${device}`);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.site-header').isVisible()).toBe(false);
      expect(await page.locator('.receipt-links').isVisible()).toBe(false);
      expect(await page.locator('[data-amounts]').isVisible()).toBe(true);
      await page.emulateMedia({ media: 'screen' });
    }

    await page.goto(`${site.url}/`);
    expect(await page.locator('.catalog-item .meta').textContent()).toMatch(/Owned · Read/);
    await picture(page, 'catalog-desktop');
  });

  it('When the publisher opens a member\'s page on a phone, then the header offers Admin and the address heading wraps instead of widening the page', async () => {
    const admin = await (await browser.newContext({ viewport: PHONE })).newPage();
    await admin.goto(`${site.url}/login?next=${encodeURIComponent('/admin/members')}`);
    await signInFromLoginPage(admin, site, ADMIN);
    await admin.waitForURL(`${site.url}/admin/members`);
    expect(await admin.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Admin' }).getAttribute('href')).toBe('/admin');
    await admin.getByRole('link', { name: MEMBER }).click();
    await admin.getByRole('heading', { level: 1, name: MEMBER }).waitFor();
    await expectNoSidewaysScroll(admin);
    await expectAccessible(admin);
    await picture(admin, 'admin-member-phone');
    await admin.context().close();
  });
});
