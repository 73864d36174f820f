import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESKTOP, PHONE, launchChromium, screenshot } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { DEMO_SLUG, DEMO_TITLE, buyFromThesisPage, expectAccessible, signInFromLoginPage } from './support/flows.ts';

describe('The public track record and a member\'s alert choices', () => {
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
    it(`When a visitor on a ${device} opens the record and a buyer sets alerts for the thesis, then both pages read well and the choice is kept`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();

      // The demo's seeded moves are within the 30-day embargo or past it: either way the page lists the thesis.
      await page.goto(`${site.url}/record`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Every call on record, losers included');
      expect(await page.getByRole('heading', { level: 2, name: DEMO_TITLE }).isVisible()).toBe(true);
      await expectAccessible(page);
      await screenshot(page, `${device}-record`);

      await page.goto(`${site.url}/theses/${DEMO_SLUG}`);
      const buyer = `${device}.alerts@example.com`;
      await buyFromThesisPage(page, buyer, { checkEachPage: false });
      // Alert choices belong to a proven address: the buyer signs in by the e-mailed link first.
      await page.goto(`${site.url}/login?next=%2Faccount`);
      await signInFromLoginPage(page, site, buyer);
      await page.waitForURL(`${site.url}/account`);
      const choices = page.getByRole('group', { name: `Alerts about ${DEMO_TITLE}` });
      await choices.getByLabel(/Only status changes/).check();
      await page.getByRole('button', { name: `Save alerts about ${DEMO_TITLE}` }).click();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('group', { name: `Alerts about ${DEMO_TITLE}` }).getByLabel(/Only status changes/).isChecked()).toBe(true);
      await expectAccessible(page);
      await screenshot(page, `${device}-account-alerts`);
      await context.close();
    });
  }
});
