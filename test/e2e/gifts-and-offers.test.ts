import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { LAPTOP, PHONE, docsPicture, launchChromium, screenshot } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { DEMO_SLUG, DEMO_TITLE, expectAccessible, expectNoSidewaysScroll, signInFromLoginPage } from './support/flows.ts';

const ADMIN = 'publisher@warren.test';
const THESIS = `/theses/${DEMO_SLUG}`;
const DEVICES = [['phone', PHONE], ['desktop', LAPTOP]] as const;

/** Every check a page gets at each size: nothing wider than the screen, nothing serious for axe. */
async function expectSound(page: Page): Promise<void> {
  await expectNoSidewaysScroll(page);
  await expectAccessible(page);
}

/** The field is marked invalid and described by a visible error that says `message`. */
async function expectFieldError(field: Locator, message: RegExp): Promise<void> {
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  const describedBy = await field.getAttribute('aria-describedby');
  expect(describedBy).toBeTruthy();
  const error = field.page().locator(`#${describedBy}`);
  expect(await error.isVisible()).toBe(true);
  expect(await error.textContent()).toMatch(message);
  // One warning sign, whether the message carries its own (partials/field-error.hbs) or takes the stylesheet's.
  const signs = await error.evaluate((node) => (node.textContent!.match(/⚠/g) ?? []).length + (getComputedStyle(node, '::before').content.includes('⚠') ? 1 : 0));
  expect(signs).toBe(1);
}

/** The element ends inside the main column's content box (no overflowing past the measure). */
async function expectWithinMain(target: Locator): Promise<void> {
  const right = await target.evaluate((node) => node.getBoundingClientRect().right);
  const edge = await target.page().locator('main').evaluate((main) => main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight));
  expect(right, 'right edge against the main column').toBeLessThanOrEqual(edge + 1);
}

describe('Gifts and offers on a phone and on a laptop', () => {
  let site: Site;
  let browser: Browser;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite({ adminEmails: [ADMIN] }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  for (const [device, viewport] of DEVICES) {
    it(`When a visitor on a ${device} follows "Buy as a gift", sends the form wrong, then right, and pays, then each mistake is marked on its field and the success page says the gift is paid`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${site.url}${THESIS}/buy`);
      await page.getByRole('link', { name: 'Buy as a gift' }).click();
      await page.waitForURL(`**${THESIS}/gift`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Buy as a gift');
      await expectSound(page);

      // Empty: the browser itself stops the post at the first required field, the recipient's address.
      const form = page.locator(`form[action="${THESIS}/gift"]`);
      const recipient = page.getByLabel("Recipient's e-mail address");
      await form.getByRole('button', { name: 'Continue to payment' }).click();
      expect(page.url()).toBe(`${site.url}${THESIS}/gift`);
      expect(await recipient.evaluate((node: HTMLInputElement) => node.validity.valueMissing)).toBe(true);

      // A browser that does not check (or a person who got past it): the server marks every field.
      await form.evaluate((node: HTMLFormElement) => {
        node.noValidate = true;
      });
      await recipient.fill('not an address');
      await page.getByLabel(/^Delivery date/).fill('2020-01-01');
      await form.getByRole('button', { name: 'Continue to payment' }).click();
      await page.waitForLoadState('load');
      const problems = page.locator('.problems[role="alert"]');
      expect(await problems.isVisible()).toBe(true);
      expect(await problems.locator('li').count()).toBe(3);
      await expectFieldError(recipient, /recipient's e-mail address, like name@example\.com/);
      await expectFieldError(page.getByLabel(/^Delivery date/), /cannot be in the past/);
      for (const box of await page.getByRole('checkbox').all()) await expectFieldError(box, /Tick this box to continue\./);
      // What was typed stays in the form; the message field, fine, is not marked.
      expect(await recipient.inputValue()).toBe('not an address');
      expect(await page.getByLabel(/^Message/).getAttribute('aria-invalid')).toBeNull();
      // The date box is styled as the other boxes: as wide, as tall.
      const [emailBox, dateBox] = [await recipient.boundingBox(), await page.getByLabel(/^Delivery date/).boundingBox()];
      expect(Math.round(dateBox!.width)).toBe(Math.round(emailBox!.width));
      expect(Math.abs(dateBox!.height - emailBox!.height)).toBeLessThan(4);
      await expectSound(page);
      await docsPicture(page, `18-gift-form-${device}`, { fullPage: true });
      // Dark mode: the red messages and outlines stay readable.
      await page.emulateMedia({ colorScheme: 'dark' });
      await expectAccessible(page);
      await screenshot(page, `18-gift-form-dark-${device}`);
      await page.emulateMedia({ colorScheme: 'light' });

      // Right this time: the local Stripe page, then our success page.
      await recipient.fill(`friend.${device}@example.com`);
      await page.getByLabel(/^Message/).fill('Happy birthday! The chapter on bandwidth made me think of you.');
      const deliverOn = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
      await page.getByLabel(/^Delivery date/).fill(deliverOn);
      for (const box of await page.getByRole('checkbox').all()) await box.check();
      await form.getByRole('button', { name: 'Continue to payment' }).click();
      await page.waitForURL('**/pay/cs_*');
      expect(await page.locator('.product').textContent()).toContain(`${DEMO_TITLE} (gift)`);
      await page.getByLabel('Email').fill(`giver.${device}@example.com`);
      await page.getByRole('button', { name: 'Pay' }).click();
      await page.waitForURL('**/checkout/success?session_id=*');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you');
      const main = page.locator('main');
      expect(await main.textContent()).toContain(`Your gift of ${DEMO_TITLE} is paid.`);
      expect(await main.locator('strong').filter({ hasText: deliverOn }).count()).toBe(1);
      // Not the recipient's address: the success URL can be forwarded.
      expect(await main.textContent()).not.toContain(`friend.${device}@example.com`);
      await expectSound(page);
      await screenshot(page, `18-gift-success-${device}`);
      await context.close();
    });
  }

  it('When the admin creates a 20 % offer at 390 and 1280 px, a visitor opens its link and the admin ends it, then the list shows the link, the thesis and buy pages show the notice, and the ended link sells at full price', async () => {
    const admin = await (await browser.newContext({ viewport: PHONE })).newPage();
    await admin.goto(`${site.url}/login?next=${encodeURIComponent('/admin/offers')}`);
    await signInFromLoginPage(admin, site, ADMIN);
    await admin.waitForURL(`${site.url}/admin/offers`);

    for (const [device, viewport] of DEVICES) {
      const code = `${device.toUpperCase()}20`;
      await admin.setViewportSize(viewport);
      await admin.goto(`${site.url}/admin/offers`);
      expect(await admin.getByRole('navigation', { name: 'Admin' }).locator('[aria-current="page"]').textContent()).toBe('Offers');
      const form = admin.locator('form.offer-form');
      await form.getByLabel('Thesis', { exact: true }).selectOption({ label: `${DEMO_TITLE} ($75 CAD)` });
      await form.getByLabel('Percentage off').check();
      // A percentage out of range first: marked on its field, under its box, nothing made.
      await form.getByLabel(/^Percent \(/).fill('120');
      await form.getByRole('button', { name: 'Create offer' }).click();
      await admin.waitForLoadState('load');
      expect(await admin.locator('.problems[role="alert"]').textContent()).toContain('whole number from 1 to 100');
      await expectFieldError(form.getByLabel(/^Percent \(/), /whole number from 1 to 100/);
      await expectSound(admin);
      await screenshot(admin, `18-admin-offer-error-${device}`);
      await admin.emulateMedia({ colorScheme: 'dark' });
      await expectAccessible(admin);
      await admin.emulateMedia({ colorScheme: 'light' });
      await form.getByLabel(/^Percent \(/).fill('20');
      await form.getByLabel(/^Code/).fill(code);
      await form.getByRole('button', { name: 'Create offer' }).click();
      await admin.waitForURL('**/admin/offers?created=*');

      const link = `${site.url}${THESIS}?offer=${code}`;
      const saved = admin.getByRole('status').filter({ hasText: code });
      expect(await saved.textContent()).toContain(`The offer ${code} is ready.`);
      expect(await saved.getByRole('link').getAttribute('href')).toBe(link);
      const row = admin.locator('table.offers tbody tr').filter({ hasText: code });
      expect(await row.locator('td[data-label="Discount"]').textContent()).toBe('20 % off');
      expect(await row.locator('td[data-label="Status"]').textContent()).toBe('active');
      const copyable = row.getByLabel(`Link for ${code}`);
      expect(await copyable.inputValue()).toBe(link);
      expect(await copyable.getAttribute('readonly')).not.toBeNull();
      // The whole link is on screen, inside its cell, to read and copy.
      const [field, cell] = [await copyable.boundingBox(), await row.locator('td[data-label="Link"]').boundingBox()];
      expect(field!.x + field!.width).toBeLessThanOrEqual(viewport.width);
      expect(field!.x + field!.width).toBeLessThanOrEqual(cell!.x + cell!.width + 1);
      // The table stays in the page's column: "End offer" is not pushed past its edge.
      await expectWithinMain(admin.locator('table.offers'));
      await expectSound(admin);
      await docsPicture(admin, `18-admin-offers-${device}`, { fullPage: true });

      // A visitor opens the link: the notice on the thesis page, carried to the buy page.
      const visitor = await (await browser.newContext({ viewport })).newPage();
      await visitor.goto(link);
      const notice = visitor.locator('#offer-notice');
      expect(await notice.textContent()).toBe(`Offer ${code}: 20 % off`);
      expect(await notice.getAttribute('role')).toBe('status');
      await expectSound(visitor);
      await docsPicture(visitor, `18-offer-link-${device}`);
      await visitor.locator('.thesis-offer').getByRole('link', { name: 'Buy this thesis' }).click();
      await visitor.waitForURL(`**${THESIS}/buy?offer=${code}`);
      expect(await visitor.locator('.order-summary .offer-notice').textContent()).toContain(`Offer ${code}: 20 % off`);
      expect(await visitor.locator('input[type="hidden"][name="offer"]').inputValue()).toBe(code);
      await expectSound(visitor);
      await screenshot(visitor, `18-offer-buy-${device}`);

      // The admin ends it on its confirm page (no script dialog).
      await row.getByRole('button', { name: 'End offer' }).click();
      await admin.waitForURL(`**/admin/offers/*/end`);
      expect(await admin.getByRole('heading', { level: 1 }).textContent()).toBe(`End the offer ${code}?`);
      await expectSound(admin);
      await screenshot(admin, `18-offer-end-${device}`);
      const [endButton, cancel] = [await admin.getByRole('button', { name: `End ${code}` }).boundingBox(), await admin.getByRole('link', { name: 'Cancel' }).boundingBox()];
      expect(cancel!.x - (endButton!.x + endButton!.width)).toBeGreaterThanOrEqual(10);
      await admin.getByRole('button', { name: `End ${code}` }).click();
      await admin.waitForURL(`${site.url}/admin/offers`);
      expect(await admin.locator('table.offers tbody tr').filter({ hasText: code }).locator('td[data-label="Status"]').textContent()).toBe('ended');
      expect(await admin.locator('table.offers tbody tr').filter({ hasText: code }).getByRole('button', { name: 'End offer' }).count()).toBe(0);

      // The same link now says so and sells at the full price.
      await visitor.goto(link);
      expect(await visitor.locator('#offer-notice').textContent()).toBe(`The offer ${code} has ended. You can still buy this thesis at the full price.`);
      expect(await visitor.locator('.thesis-offer').getByRole('link', { name: 'Buy this thesis' }).getAttribute('href')).toBe(`${THESIS}/buy`);
      await expectSound(visitor);
      await visitor.context().close();
    }
  });
});
