import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { LAPTOP, PHONE, docsPicture, launchChromium } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { DEMO_SLUG, expectAccessible } from './support/flows.ts';


/** Whether the element is laid out wholly inside the viewport as it is scrolled now. */
async function onScreen(page: Page, target: Locator): Promise<boolean> {
  const box = await target.boundingBox();
  const { height } = page.viewportSize()!;
  return box !== null && box.height > 0 && box.y >= 0 && box.y + box.height <= height;
}

describe('A visitor who might buy sees the offer at once', () => {
  let site: Site;
  let browser: Browser;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('When a visitor opens the thesis on a 1280x800 screen, then the price and Buy are in the first screen and no sticky bar shows', async () => {
    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    await page.goto(`${site.url}/theses/${DEMO_SLUG}`);
    const offer = page.locator('.thesis-offer');
    expect(await onScreen(page, offer.locator('.price'))).toBe(true);
    expect(await offer.locator('.price').textContent()).toBe('$75 CAD');
    expect(await onScreen(page, offer.getByRole('link', { name: 'Buy this thesis' }))).toBe(true);
    expect(await page.locator('.sticky-offer').isVisible()).toBe(false);
    await expectAccessible(page);
    await docsPicture(page, '17-offer-desktop');

    // "What you get ↓" takes the reader to the paywall.
    await offer.getByRole('link', { name: 'What you get ↓' }).click();
    await page.waitForURL('**#paywall');
    expect(await onScreen(page, page.getByRole('heading', { name: 'What members get' }))).toBe(true);
    await context.close();
  });

  it('When a visitor on a 390x844 phone scrolls past the first section, then a slim price and Buy bar stays at the bottom until the paywall', async () => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${site.url}/theses/${DEMO_SLUG}`);
    const bar = page.locator('.sticky-offer');
    // First screen: the offer under the tagline shows the price; the bar is not there yet.
    expect(await onScreen(page, page.locator('.thesis-offer .price'))).toBe(true);
    expect(await onScreen(page, bar)).toBe(false);
    await expectAccessible(page);

    // In the middle of the public argument the bar is stuck to the bottom of the screen.
    await page.evaluate(() => document.querySelector('#stress-test')!.scrollIntoView({ block: 'start' }));
    expect(await onScreen(page, bar)).toBe(true);
    const box = (await bar.boundingBox())!;
    expect(Math.round(box.y + box.height)).toBe(PHONE.height);
    expect(box.height).toBeLessThan(80);
    expect(await bar.locator('.price').textContent()).toBe('$75 CAD');
    expect(await bar.getByRole('link', { name: 'Buy this thesis' }).getAttribute('href')).toBe(`/theses/${DEMO_SLUG}/buy`);
    await expectAccessible(page);
    await docsPicture(page, '17-offer-phone');

    // At the paywall it has stopped following: the paywall's own price and button take over.
    await page.evaluate(() => document.querySelector('#paywall')!.scrollIntoView({ block: 'start' }));
    expect(await onScreen(page, bar)).toBe(false);
    await context.close();
  });

  it('When a visitor on a 390x844 phone opens the buy page, then the order, large boxes and the button are all in the first screen', async () => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${site.url}/theses/${DEMO_SLUG}/buy`);
    expect(await page.locator('.order-summary').textContent()).toContain('$75 CAD');
    for (const box of await page.getByRole('checkbox').all()) {
      const size = (await box.boundingBox())!;
      expect(Math.min(size.width, size.height)).toBeGreaterThanOrEqual(24);
    }
    expect(await onScreen(page, page.getByRole('button', { name: 'Continue to payment' }))).toBe(true);
    await expectAccessible(page);
    await docsPicture(page, '17-buy-phone');
    await context.close();
  });
});
