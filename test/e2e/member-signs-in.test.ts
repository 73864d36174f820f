import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESKTOP, PHONE, launchChromium, screenshot } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { eventually } from '../support/cookie-client.ts';
import { DEMO_SLUG, buyFromThesisPage, expectAccessible, expectMembersLayer, expectPaywall } from './support/flows.ts';

const MEMBER = 'returning.member@example.com';

describe('A member comes back on another device', () => {
  let site: Site;
  let browser: Browser;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite(), launchChromium()]);
    // They bought the thesis earlier, in another browser.
    const earlier = await browser.newContext({ viewport: DESKTOP });
    const page = await earlier.newPage();
    await page.goto(`${site.url}/theses/${DEMO_SLUG}`);
    await buyFromThesisPage(page, MEMBER, { checkEachPage: false });
    await earlier.close();
    await eventually(async () => site.inbox.to(MEMBER).length === 1, 'the receipt');
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('When a member signs in from the e-mailed link in a fresh browser, then they read the members\' layer, and signing out ends it', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${site.url}/theses/${DEMO_SLUG}`);
    await expectPaywall(page);

    await page.locator('#paywall').getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL('**/login?next=*');
    await expectAccessible(page);
    await screenshot(page, 'signin-1-login');
    await page.locator('form[action="/login"]').getByLabel('E-mail address').fill(MEMBER);
    await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'signin-2-sent');

    await eventually(async () => site.inbox.to(MEMBER).length === 2, 'the sign-in e-mail');
    const link = site.inbox.latestLink(MEMBER, site.url);
    await page.goto(`${site.url}${link}`);
    await expectAccessible(page);
    await screenshot(page, 'signin-3-confirm');
    await page.getByRole('button', { name: 'Sign me in' }).click();
    await page.waitForURL(`**/theses/${DEMO_SLUG}`);
    await expectMembersLayer(page);
    await screenshot(page, 'signin-4-members');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${site.url}/`);
    expect(await page.getByRole('link', { name: 'Sign in' }).isVisible()).toBe(true);
    await page.goto(`${site.url}/theses/${DEMO_SLUG}`);
    await expectPaywall(page);

    // The link worked once.
    await page.goto(`${site.url}${link}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This link cannot sign you in');
    await expectAccessible(page);
    await context.close();
  });
});
