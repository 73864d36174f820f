import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { storedThesisState } from '../support/stored-thesis.ts';
import { DESKTOP, PHONE, launchChromium, screenshot } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { DEMO_SLUG, expectAccessible, signInFromLoginPage } from './support/flows.ts';

const ADMIN = 'publisher@warren.test';
const EDITOR = `/admin/theses/${DEMO_SLUG}`;

/** Presses the editor's Save and waits for the editor to come back saying nothing needed saving. */
async function pressSave(page: Page): Promise<void> {
  // After the first save the address is already ?unchanged=1: wait for the reload itself, not the URL.
  const reloaded = page.waitForResponse((response) => response.request().method() === 'GET' && response.url().endsWith(`${EDITOR}?unchanged=1`));
  await page.getByRole('button', { name: 'Save' }).click();
  await reloaded;
  await page.waitForLoadState();
  expect(await page.getByRole('status').textContent()).toBe('No changes to save.');
}

/** The public page as the server sends it to a visitor, and the members' layer as the admin previews it. */
async function renderedPages(site: Site, admin: Page) {
  const publicPage = await (await fetch(`${site.url}/theses/${DEMO_SLUG}`)).text();
  await admin.goto(`${site.url}${EDITOR}/preview?as=member`);
  const memberArticle = await admin.locator('article.thesis').evaluate((article) => article.outerHTML);
  return { publicPage, memberArticle };
}

describe('The publisher saves a thesis without changing it', () => {
  let site: Site;
  let browser: Browser;
  let database: Database;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite({ adminEmails: [ADMIN] }), launchChromium()]);
    database = await openDatabase(site.databaseUrl);
  });
  afterAll(async () => {
    await database?.close();
    await browser?.close();
    await site?.close();
  });

  it('When the publisher presses Save twice on the untouched published demo thesis, then the public page and the stored content are unchanged byte for byte, and no revision is written', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const admin = await context.newPage();
    await admin.goto(`${site.url}/login?next=${encodeURIComponent(EDITOR)}`);
    await signInFromLoginPage(admin, site, ADMIN);
    await admin.waitForURL(`${site.url}${EDITOR}`);

    const storedBefore = await storedThesisState(database.prisma, DEMO_SLUG);
    const pagesBefore = await renderedPages(site, admin);
    expect(pagesBefore.publicPage).toContain('The Decode Singularity');
    expect(pagesBefore.memberArticle).toContain('id="members-layer"');

    await admin.goto(`${site.url}${EDITOR}`);
    const revisionShown = await admin.getByText(/revision \d+/).textContent();
    await pressSave(admin);
    await pressSave(admin);
    // What the browser holds in the editor is still the stored text, not shifted right.
    const publicBody = await admin.getByLabel('Public body').inputValue();
    expect(JSON.parse(storedBefore.content).publicBody).toBe(publicBody);
    expect(await admin.getByText(/revision \d+/).textContent()).toBe(revisionShown);
    await expectAccessible(admin);
    await screenshot(admin, 'editor-unchanged-1-after-two-saves-desktop');
    await admin.setViewportSize(PHONE);
    await screenshot(admin, 'editor-unchanged-2-after-two-saves-phone');
    await admin.setViewportSize(DESKTOP);

    expect(await storedThesisState(database.prisma, DEMO_SLUG)).toEqual(storedBefore);
    const pagesAfter = await renderedPages(site, admin);
    expect(pagesAfter.publicPage).toBe(pagesBefore.publicPage);
    expect(pagesAfter.memberArticle).toBe(pagesBefore.memberArticle);
    await admin.goto(`${site.url}/theses/${DEMO_SLUG}`);
    await screenshot(admin, 'editor-unchanged-3-public-page');

    await context.close();
  });
});
