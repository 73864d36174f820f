import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PHONE, launchChromium } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { DEMO_SLUG, expectAccessible, signInFromLoginPage } from './support/flows.ts';

const ADMIN = 'publisher@warren.test';
const LAPTOP = { width: 1280, height: 800 };
const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs');

/** Nothing wider than the screen: the page never scrolls sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  expect(scrollWidth, `${page.url()} is ${scrollWidth}px wide in a ${clientWidth}px window`).toBeLessThanOrEqual(clientWidth);
}

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
      await page.screenshot({ path: path.join(DOCS, `17-admin-desk-${device}.png`), fullPage: true });

      await page.goto(`${site.url}/admin/theses/${DEMO_SLUG}/signals`);
      expect(await nav.locator('[aria-current="page"]').textContent()).toBe('Signals');
      await expectNoSidewaysScroll(page);
      await expectAccessible(page);
      await page.screenshot({ path: path.join(DOCS, `17-admin-signals-${device}.png`), fullPage: true });
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
    await page.screenshot({ path: path.join(DOCS, '17-admin-signal-form-desktop.png'), fullPage: true });
    await page.getByRole('button', { name: 'Record update' }).click();
    await page.waitForURL('**?recorded=*');
    expect(await page.getByRole('status').textContent()).toMatch(/^Update #\d+ recorded\.$/);
    await expectAccessible(page);
  });
});
