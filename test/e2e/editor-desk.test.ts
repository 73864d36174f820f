import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { LAPTOP, PHONE, docsPicture, launchChromium } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { DEMO_SLUG, expectAccessible, signInFromLoginPage } from './support/flows.ts';

const ADMIN = 'publisher@warren.test';
const EDITOR = `/admin/theses/${DEMO_SLUG}`;

const wordsIn = async (page: Page, selector: string) => Number((await page.locator(selector).textContent())!.replace(/[^\d]/g, ''));

describe("The publisher's desk in a browser", () => {
  let site: Site;
  let browser: Browser;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite({ adminEmails: [ADMIN] }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  for (const [name, viewport] of [['desktop', LAPTOP], ['phone', PHONE]] as const) {
    it(`When the publisher writes in the editor (${name}), then prose is in a writing font, boxes grow, counts follow, rows are added and leaving asks`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${site.url}/login?next=${encodeURIComponent(EDITOR)}`);
      await signInFromLoginPage(page, site, ADMIN);
      await page.waitForURL(`${site.url}${EDITOR}`);

      const fontOf = (selector: string) => page.locator(selector).evaluate((node) => getComputedStyle(node).fontFamily);
      expect(await fontOf('textarea[name=publicBody]')).not.toMatch(/mono/i);
      expect(await fontOf('#slug')).toMatch(/monospace/);

      // A blank counter-argument box grows as lines are written into it.
      const argument = page.locator('textarea[name=stressArgument]').last();
      const heightBefore = (await argument.boundingBox())!.height;
      await argument.fill('One\nTwo\nThree\nFour\nFive\nSix');
      expect((await argument.boundingBox())!.height).toBeGreaterThan(heightBefore + 40);

      // Typing three words into the closing adds three to its count and to the thesis's.
      const closing = page.getByLabel('Closing, after the offer');
      const [closingBefore, totalBefore] = [await wordsIn(page, '#publicClosing-words'), await wordsIn(page, '[data-word-total]')];
      await closing.press('End');
      await closing.pressSequentially(' alpha beta gamma');
      expect(await wordsIn(page, '#publicClosing-words')).toBe(closingBefore + 3);
      expect(await wordsIn(page, '[data-word-total]')).toBe(totalBefore + 3);

      // "Add a signal" adds an empty row and puts the cursor in it.
      const signals = page.getByRole('group', { name: 'Signals' });
      const rowsBefore = await signals.locator('.editor-row').count();
      await signals.getByRole('button', { name: 'Add a signal' }).click();
      expect(await signals.locator('.editor-row').count()).toBe(rowsBefore + 1);
      const added = signals.locator('.editor-row').last();
      expect(await added.getByLabel('Title').inputValue()).toBe('');
      expect(await added.locator('input[name=signalId]').inputValue()).toBe('');
      expect(await added.getByLabel('Title').evaluate((node) => node === document.activeElement)).toBe(true);

      await expectAccessible(page);
      mkdirSync('docs', { recursive: true });
      await docsPicture(page, `17-editor-${name}`);

      // Leaving with unsaved changes asks; staying keeps the page and what was typed.
      const asked = page.waitForEvent('dialog');
      await page.close({ runBeforeUnload: true });
      const dialog = await asked;
      expect(dialog.type()).toBe('beforeunload');
      await dialog.dismiss();
      expect(page.isClosed()).toBe(false);
      expect(await closing.inputValue()).toContain('alpha beta gamma');
      await context.close();
    });
  }

  for (const [name, viewport] of [['desktop', LAPTOP], ['phone', PHONE]] as const) {
    it(`When a save is refused for a row's empty field (${name}), then that field in that row is marked with its message and the summary names the row`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${site.url}/login?next=${encodeURIComponent(EDITOR)}`);
      await signInFromLoginPage(page, site, ADMIN);
      await page.waitForURL(`${site.url}${EDITOR}`);
      const sections = page.getByRole('group', { name: "Members' sections" });
      await sections.locator('.editor-row').nth(1).getByLabel('Summary (public)').fill('');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForLoadState();

      expect(await page.locator('.problems li').allTextContents()).toEqual(["Members' sections, row 2, summary: is required"]);
      const row = page.getByRole('group', { name: "Members' sections" }).locator('.editor-row').nth(1);
      const summary = row.getByLabel('Summary (public)');
      expect(await summary.getAttribute('aria-invalid')).toBe('true');
      expect(await summary.evaluate((node) => (node as HTMLInputElement).labels![0].nextElementSibling?.textContent)).toBe('⚠ is required');
      expect(await page.locator('[aria-invalid="true"]').count()).toBe(1);
      await expectAccessible(page);
      expect(await summary.evaluate((node) => getComputedStyle(node).borderTopWidth)).toBe('2px');
      await summary.evaluate((node) => node.scrollIntoView({ block: 'center' })); // clear of the sticky bar
      await docsPicture(page, `17-editor-row-error-${name}`);
      await context.close();
    });
  }

  it('When the publisher has JavaScript off, then Save in the bar still saves, no Add buttons appear, and Archive asks on a page', async () => {
    const context = await browser.newContext({ viewport: LAPTOP, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.url}/login?next=${encodeURIComponent(EDITOR)}`);
    await signInFromLoginPage(page, site, ADMIN);
    await page.waitForURL(`${site.url}${EDITOR}`);
    expect(await page.getByRole('button', { name: /^Add / }).count()).toBe(0);
    await page.getByRole('group', { name: 'Header' }).getByLabel('Tagline').fill('Edited without a script.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`**${EDITOR}?saved=1`);
    expect(await page.getByRole('status').textContent()).toMatch(/^Saved at \d\d:\d\d UTC\.$/);
    expect(await page.getByRole('group', { name: 'Header' }).getByLabel('Tagline').inputValue()).toBe('Edited without a script.');

    await page.getByRole('button', { name: 'Archive' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Archive this thesis?');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL(`**${EDITOR}`);
    expect(await page.locator('.state').textContent()).toBe('published');
    await context.close();
  });
});
