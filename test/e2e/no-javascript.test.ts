import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESKTOP, launchChromium, screenshot } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { eventually } from '../support/cookie-client.ts';
import { DEMO_SLUG, DEMO_TITLE, buyFromThesisPage, expectMembersLayer, expectPaywall } from './support/flows.ts';

describe('With JavaScript disabled', () => {
  let site: Site;
  let browser: Browser;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('When a visitor has JavaScript off, then reading, buying, signing out and signing in by link all work', async () => {
    const email = 'no.script@example.com';
    const context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
    const page = await context.newPage();

    await page.goto(site.url);
    await page.getByRole('link', { name: DEMO_TITLE }).click();
    await expectPaywall(page);
    await buyFromThesisPage(page, email, { checkEachPage: false });
    await page.getByRole('link', { name: "Read the members' layer" }).click();
    await expectMembersLayer(page);
    await screenshot(page, 'nojs-1-members');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${site.url}/`);
    await page.goto(`${site.url}/login?next=/theses/${DEMO_SLUG}`);
    await page.locator('form[action="/login"]').getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
    await eventually(async () => site.inbox.to(email).length === 2, 'the sign-in e-mail');
    await page.goto(`${site.url}${site.inbox.latestLink(email, site.url)}`);
    await page.getByRole('button', { name: 'Sign me in' }).click();
    await page.waitForURL(`**/theses/${DEMO_SLUG}`);
    await expectMembersLayer(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(DEMO_TITLE);
    await context.close();
  });
});
