import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { eventually } from '../../support/cookie-client.ts';
import { seriousAccessibilityProblems } from './browser.ts';
import type { Site } from './site.ts';

export const DEMO_SLUG = 'decode-singularity';
export const DEMO_TITLE = 'The Decode Singularity';

/** Every page the scenarios visit on our site must pass axe-core without serious or critical problems. */
/** Nothing wider than the screen: the page never scrolls sideways. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  expect(scrollWidth, `${page.url()} is ${scrollWidth}px wide in a ${clientWidth}px window`).toBeLessThanOrEqual(clientWidth);
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityProblems(page)).toEqual([]);
}

/** From the thesis page: Buy → our buy page → Stripe's hosted page → Pay → back on our success page. */
export async function buyFromThesisPage(page: Page, email: string, { checkEachPage = true } = {}): Promise<void> {
  // The offer under the tagline: the first of the page's Buy links (the paywall has the same one).
  await page.getByRole('link', { name: /Buy this thesis/ }).first().click();
  await page.waitForURL(`**/theses/${DEMO_SLUG}/buy`);
  if (checkEachPage) await expectAccessible(page);
  for (const box of await page.getByRole('checkbox').all()) await box.check();
  await page.getByRole('button', { name: /Continue to payment/ }).click();
  await page.waitForURL('**/pay/cs_*');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL('**/checkout/success?session_id=*');
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you');
}

/** Members' layer shown, paywall gone, on the thesis page the browser is on. */
export async function expectMembersLayer(page: Page): Promise<void> {
  expect(await page.locator('#members-layer').isVisible()).toBe(true);
  expect(await page.locator('#paywall').count()).toBe(0);
}

/** Paywall shown, no trace of the members' layer. */
export async function expectPaywall(page: Page): Promise<void> {
  expect(await page.locator('#paywall').isVisible()).toBe(true);
  expect(await page.locator('#members-layer').count()).toBe(0);
}

/**
 * On the sign-in page: asks for a link, opens the one e-mailed and presses "Sign me in". The browser
 * then goes wherever the page's `next` said; the caller waits for that.
 */
export async function signInFromLoginPage(page: Page, site: Site, email: string): Promise<void> {
  const mailsBefore = site.inbox.to(email).length;
  site.forgetDeliveredSignInMail(email);
  await page.locator('form[action="/login"]').getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();
  await eventually(async () => site.inbox.to(email).length > mailsBefore, `the sign-in e-mail to ${email}`);
  await page.goto(`${site.url}${site.inbox.latestLink(email, site.url)}`);
  await page.getByRole('button', { name: 'Sign me in' }).click();
}
