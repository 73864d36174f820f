import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESKTOP, PHONE, launchChromium, screenshot } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { DEMO_SLUG, DEMO_TITLE, buyFromThesisPage, expectAccessible, expectMembersLayer, expectPaywall } from './support/flows.ts';

describe('A visitor reads, buys and reads on', () => {
  let site: Site;
  let browser: Browser;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  for (const [device, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    it(`When a visitor on a ${device} reads the thesis and buys it, then they land signed in and read the members' layer`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();

      await page.goto(site.url);
      await expectAccessible(page);
      await screenshot(page, `${device}-1-home`);
      await page.getByRole('link', { name: DEMO_TITLE }).click();
      await page.waitForURL(`**/theses/${DEMO_SLUG}`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(DEMO_TITLE);
      await expectPaywall(page);
      await expectAccessible(page);
      await screenshot(page, `${device}-2-thesis-public`);
      await screenshot(page.locator('.thesis-header'), `${device}-2a-thesis-header`);
      await screenshot(page.locator('#paywall'), `${device}-2b-paywall`);

      await buyFromThesisPage(page, `${device}.buyer@example.com`);
      await expectAccessible(page);
      await screenshot(page, `${device}-3-success`);

      await page.getByRole('link', { name: "Read the members' layer" }).click();
      await page.waitForURL(`**/theses/${DEMO_SLUG}#members-layer`);
      await expectMembersLayer(page);
      await expectAccessible(page);
      await screenshot(page, `${device}-4-thesis-members`);
      await screenshot(page.locator('.signal-board'), `${device}-4a-signal-board`);
      expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);

      // Dark mode must stay readable (axe checks contrast), and members print their theses.
      await page.emulateMedia({ colorScheme: 'dark' });
      await expectAccessible(page);
      await screenshot(page, `${device}-5-thesis-members-dark`);
      await screenshot(page.locator('.stress-test'), `${device}-5a-stress-test-dark`);
      await page.emulateMedia({ colorScheme: 'light', media: 'print' });
      await screenshot(page, `${device}-6-thesis-members-print`);
      expect(await page.locator('.site-header').isVisible()).toBe(false);
      await context.close();
    });
  }
});
