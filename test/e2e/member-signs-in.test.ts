import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { DESKTOP, PHONE, launchChromium, screenshot } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { eventually } from '../support/cookie-client.ts';
import { DEMO_SLUG, buyFromThesisPage, expectAccessible, expectMembersLayer, expectPaywall, signInFromLoginPage } from './support/flows.ts';

const MEMBER = 'returning.member@example.com';
const ADMIN = 'publisher@warren.test';
const BOARD = `/theses/${DEMO_SLUG}/signals`;
const ADMIN_BOARD = `/admin/theses/${DEMO_SLUG}/signals`;
const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const MAC_CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A fresh browser profile, signed in from the e-mailed link, landing on `path`. */
async function signInFreshBrowser(browser: Browser, site: Site, email: string, path: string, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ viewport: PHONE, ...options });
  const page = await context.newPage();
  await page.goto(`${site.url}/login?next=${encodeURIComponent(path)}`);
  await signInFromLoginPage(page, site, email);
  await page.waitForURL(`${site.url}${path}`);
  return page;
}

/** The publisher's own form on the admin signal page, filled and sent as a person would. */
async function recordUpdateAsPublisher(site: Site, admin: Page, signalTitle: string, status: string, note: string): Promise<void> {
  await admin.goto(`${site.url}${ADMIN_BOARD}`);
  const signal = admin.locator('section.signal', { has: admin.getByRole('heading', { level: 2, name: signalTitle, exact: true }) });
  // Each signal's "Record update" opens a form for that signal alone.
  await signal.getByRole('link', { name: 'Record update' }).click();
  await admin.waitForURL('**/new');
  await admin.getByLabel('New status').selectOption({ label: status });
  await admin.getByLabel('Evidence note (Markdown)').fill(note);
  await admin.getByRole('button', { name: 'Record update' }).click();
  await admin.waitForURL(`**${ADMIN_BOARD}?recorded=*`);
  expect(await admin.getByRole('status').textContent()).toMatch(/^Update #\d+ recorded\.$/);
}

describe('A member comes back on another device', () => {
  let site: Site;
  let browser: Browser;
  let publisher: Promise<Page> | undefined;
  /** The publisher, signed in once in their own browser, on the admin signal page. */
  const signedInPublisher = () => (publisher ??= signInFreshBrowser(browser, site, ADMIN, ADMIN_BOARD, { viewport: DESKTOP }));
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite({ adminEmails: [ADMIN] }), launchChromium()]);
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

  it('When a signed-in member watches the signal board and the publisher records an update, then it appears live, without a reload, and signing out ends it', async () => {
    const note = 'A second hyperscaler signs a multi-year inference contract.';
    const member = await signInFreshBrowser(browser, site, MEMBER, BOARD);
    // The page says it is live once its event stream is open.
    await member.locator('[data-live-status]').filter({ hasText: 'Live: updates appear here as they are recorded.' }).waitFor();
    await expectAccessible(member);
    await screenshot(member, 'signals-1-board');
    // The demo comes with a few dated moves: watch a signal that has none yet, pinned by its id.
    const unmoved = member.locator('[data-signal-id]', { has: member.locator('[data-signal-empty]') }).first();
    const signal = member.locator(`[data-signal-id="${await unmoved.getAttribute('data-signal-id')}"]`);
    const signalTitle = (await signal.getByRole('heading', { level: 2 }).textContent())!;
    expect(await signal.locator('[data-signal-status]').textContent()).toBe('Watching');
    expect(await member.getByText(note).count()).toBe(0);
    const boardUrl = member.url();
    const navigations: string[] = [];
    member.on('framenavigated', (frame) => {
      if (frame === member.mainFrame()) navigations.push(frame.url());
    });

    const admin = await signedInPublisher();
    await expectAccessible(admin);
    await recordUpdateAsPublisher(site, admin, signalTitle, 'Strengthening', note);
    await screenshot(admin, 'signals-2-admin-recorded');

    await signal.locator('[data-signal-history] .signal-update', { hasText: note }).waitFor();
    expect(member.url()).toBe(boardUrl);
    expect(navigations).toEqual([]);
    expect(await signal.locator('[data-signal-status]').textContent()).toBe('Strengthening');
    expect(await signal.locator('[data-signal-empty]').count()).toBe(0);
    await expectAccessible(member);
    await screenshot(member, 'signals-3-live-update');

    await member.getByRole('button', { name: 'Sign out' }).click();
    await member.waitForURL(`${site.url}/`);
    const afterSignOut = await member.goto(`${site.url}${BOARD}`);
    expect(afterSignOut!.status()).toBe(403);
    expect(await member.content()).not.toContain(note);
    await expectAccessible(member);
    await member.context().close();
  });

  it('When a member has JavaScript off, then the board asks for a reload, and the reload shows the new update', async () => {
    const note = 'Reloaded: the price cut holds for a second quarter.';
    const member = await signInFreshBrowser(browser, site, MEMBER, BOARD, { javaScriptEnabled: false });
    expect(await member.locator('[data-live-status]').textContent()).toBe('Reload the page to see the latest updates.');
    const signal = member.locator('[data-signal-id]').nth(1);
    const signalTitle = (await signal.getByRole('heading', { level: 2 }).textContent())!;

    await recordUpdateAsPublisher(site, await signedInPublisher(), signalTitle, 'Confirmed', note);
    // Nothing runs on this page to fetch it; the page stays as served until the reader reloads.
    expect(await member.getByText(note).count()).toBe(0);
    await member.reload();
    expect(await signal.locator('.signal-update', { hasText: note }).count()).toBe(1);
    expect(await signal.locator('[data-signal-status]').textContent()).toBe('Confirmed');
    // No axe-core here: it needs the page's JavaScript, which is off (the board passed it above).
    await screenshot(member, 'signals-4-nojs-after-reload');
    await member.context().close();
  });

  it('When a member signed in on a phone and a laptop signs the phone out from the laptop, then the phone reads nothing more', async () => {
    const phone = await signInFreshBrowser(browser, site, MEMBER, `/theses/${DEMO_SLUG}`, { userAgent: IPHONE_SAFARI });
    await expectMembersLayer(phone);
    const laptop = await signInFreshBrowser(browser, site, MEMBER, '/account', { viewport: DESKTOP, userAgent: MAC_CHROME });
    const sessions = laptop.locator('table.sessions tbody tr');
    const phoneRow = sessions.filter({ hasText: 'iPhone' });
    const laptopRow = sessions.filter({ hasText: '(this browser)' });
    expect(await phoneRow.count()).toBe(1);
    expect(await laptopRow.textContent()).toContain('macOS');
    await expectAccessible(laptop);
    await screenshot(laptop, 'account-1-sessions-desktop');

    await phoneRow.getByRole('button', { name: /^Sign out/ }).click();
    await laptop.getByRole('status').filter({ hasText: 'That session is signed out.' }).waitFor();
    expect(await sessions.filter({ hasText: 'iPhone' }).count()).toBe(0);
    await phone.reload();
    await expectPaywall(phone);

    // The laptop's own session goes on; its list, at phone width, is what a member sees on a phone.
    await laptop.setViewportSize(PHONE);
    await laptop.goto(`${site.url}/account`);
    expect(await laptopRow.count()).toBe(1);
    expect(await laptop.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(laptop, 'account-2-sessions-phone');
    await Promise.all([phone.context().close(), laptop.context().close()]);
  });
});
