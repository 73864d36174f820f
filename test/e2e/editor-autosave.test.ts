import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { LAPTOP, launchChromium } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { DEMO_SLUG, expectAccessible, signInFromLoginPage } from './support/flows.ts';
import { SLUG, writeThesis } from './support/new-thesis.ts';

const ADMIN = 'publisher@warren.test';
const DEBOUNCE = 4000; // public/editor-autosave.js waits this long after the last keystroke
const TYPED = ' Written while autosave watched.';

/** POSTs to the editor's save address, as public/editor-autosave.js would send them. */
function countSaves(page: Page, site: Site, slug: string): { count: number } {
  const saves = { count: 0 };
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url() === `${site.url}/admin/theses/${slug}`) saves.count++;
  });
  return saves;
}

/** Types at the end of the public body, as a writer would, then lets the page's clock run past the debounce. */
async function typeAndPause(page: Page) {
  const body = page.getByLabel('Public body');
  await body.focus();
  await body.press('ControlOrMeta+End');
  await body.pressSequentially(TYPED);
  await page.clock.runFor(DEBOUNCE + 1000);
}

/** Closes the page running its beforeunload handlers; the dialogs it raised (accepted, so it closes). */
async function closeAndCollectDialogs(page: Page): Promise<string[]> {
  const dialogs: string[] = [];
  page.on('dialog', (dialog: Dialog) => {
    dialogs.push(dialog.type());
    void dialog.accept();
  });
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await closed;
  return dialogs;
}

describe('Autosave of drafts in the thesis editor, in a browser', () => {
  let site: Site;
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite({ adminEmails: [ADMIN] }), launchChromium()]);
    context = await browser.newContext({ viewport: LAPTOP });
    // The page's timers are Playwright's: the debounce passes when the test says, without sleeping.
    await context.clock.install();
    const page = await context.newPage();
    await page.goto(`${site.url}/login?next=${encodeURIComponent('/admin/theses/new')}`);
    await signInFromLoginPage(page, site, ADMIN);
    await page.waitForURL(`${site.url}/admin/theses/new`);
    await writeThesis(page);
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.waitForURL(`**/admin/theses/${SLUG}?saved=1`);
    await page.close();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('When the publisher types in a draft and pauses, then it is autosaved once, survives a reload, and leaving asks nothing', async () => {
    const page = await context.newPage();
    const saves = countSaves(page, site, SLUG);
    await page.goto(`${site.url}/admin/theses/${SLUG}`);
    const status = page.locator('.action-bar [role=status]');
    expect(await status.count()).toBe(1);

    await typeAndPause(page);
    await status.filter({ hasText: /^Autosaved at \d\d:\d\d UTC$/ }).waitFor();
    expect(saves.count).toBe(1);
    await expectAccessible(page);
    expect(await closeAndCollectDialogs(page)).toEqual([]);

    // Reloaded (a new page on the same address): the typed text was stored, as an autosaved revision.
    const again = await context.newPage();
    await again.goto(`${site.url}/admin/theses/${SLUG}`);
    expect(await again.getByLabel('Public body').inputValue()).toContain(TYPED.trim());
    await again.goto(`${site.url}/admin/theses/${SLUG}/revisions`);
    expect(await again.locator('tbody tr').first().textContent()).toContain('edited publicBody (autosaved)');
    await again.close();
  });

  it('When the publisher types in the published demo thesis and pauses, then nothing is sent and leaving still warns', async () => {
    const page = await context.newPage();
    const saves = countSaves(page, site, DEMO_SLUG);
    await page.goto(`${site.url}/admin/theses/${DEMO_SLUG}`);
    expect(await page.locator('.state').textContent()).toBe('published');

    await typeAndPause(page);
    // Any request the page started is reported before the answer to a later evaluation.
    await page.evaluate(() => document.readyState);
    expect(saves.count).toBe(0);
    expect(await page.locator('.action-bar .saved').textContent()).toMatch(/^Last saved /);
    await expectAccessible(page);

    const asked = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const dialog = await asked;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    expect(page.isClosed()).toBe(false);
    expect(await page.getByLabel('Public body').inputValue()).toContain(TYPED.trim());
    await page.close();
  });
});
