import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, docsPicture, launchChromium, screenshot } from './support/browser.ts';
import { DEMO_SLUG, DEMO_TITLE, expectAccessible, expectMembersLayer, expectPaywall } from './support/flows.ts';
import { SLUG, TITLE, writeThesis } from './support/new-thesis.ts';
import { freePort, startAppProcess, type AppProcess } from '../support/app-process.ts';
import { eventually } from '../support/cookie-client.ts';

/** The README's pictures: taken by this tour, so they show the pages as they are. */
const BUYER = 'newcomer@example.com';

/** Opens the newest message to `to` whose subject matches, in the development inbox, once the outbox has written it. */
async function openLatestMail(page: Page, url: string, to: string, subject: RegExp): Promise<void> {
  const link = page.locator('.catalog-item', { hasText: `to ${to}` }).getByRole('link', { name: subject }).first();
  await eventually(async () => {
    await page.goto(`${url}/dev/mail`);
    return (await link.count()) > 0;
  }, `an e-mail to ${to} matching ${subject}`);
  await link.click();
  await page.getByRole('heading', { level: 1, name: subject }).waitFor();
}

/** /login → the link the site "mailed" → Sign me in, all in the development inbox. */
async function signInThroughDevInbox(page: Page, url: string, email: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.locator('form[action="/login"]').getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();
  await openLatestMail(page, url, email, /sign-in link/i);
  await page.locator('.dev-mail-text a[href*="/login/verify?token="]').first().click();
  await page.getByRole('button', { name: 'Sign me in' }).click();
  await page.waitForURL((target) => !target.pathname.startsWith('/login'));
}

describe('Try it: a fresh clone, `npm start`, no settings at all', () => {
  let app: AppProcess;
  let browser: Browser;
  let workingDir: string;
  let url: string;
  beforeAll(async () => {
    // Its own working folder, so the default SQLite file and mail folder start empty, as on a fresh clone.
    workingDir = mkdtempSync(path.join(tmpdir(), 'warren-try-it-'));
    const port = await freePort();
    // Only the port is chosen (3000 may be taken on the machine running the tests): nothing else is set.
    [app, browser] = await Promise.all([startAppProcess({ PORT: String(port) }, { cwd: workingDir }), launchChromium()]);
    url = `http://localhost:${port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (workingDir) rmSync(workingDir, { recursive: true, force: true });
  });

  it('When a newcomer buys in test mode, finds the receipt, signs in, watches a signal move and publishes as the admin, then every step works with nothing configured', async () => {
    // The start-up block says where to go and who the admin is.
    const admin = /sign in as (\S+),/.exec(app.output())?.[1];
    expect(app.output()).toContain('Try Warren');
    expect(app.output()).toContain(`${url}/dev/mail`);
    expect(app.output()).toContain('test mode, no money moves');
    expect(admin).toBeDefined();

    const reader = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await reader.goto(url);
    expect(await reader.locator('.test-mode-banner').textContent()).toContain('no money moves');
    await reader.getByRole('link', { name: DEMO_TITLE }).click();
    await reader.waitForURL(`**/theses/${DEMO_SLUG}`);
    await expectPaywall(reader);
    await expectAccessible(reader);
    await docsPicture(reader, '1-thesis');

    // Buy: our buy page, then the local test checkout (the real Stripe SDK and a signed webhook).
    await reader.getByRole('link', { name: /Buy this thesis/ }).first().click();
    await reader.waitForURL(`**/theses/${DEMO_SLUG}/buy`);
    for (const box of await reader.getByRole('checkbox').all()) await box.check();
    await reader.getByRole('button', { name: /Continue to payment/ }).click();
    await reader.getByText('Test payment — no money moves').first().waitFor();
    await reader.getByLabel('Email').fill(BUYER);
    await docsPicture(reader, '2-test-checkout');
    await reader.getByRole('button', { name: /^Pay/ }).click();
    await reader.waitForURL('**/checkout/success?session_id=*');
    expect(await reader.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you');

    // The receipt is in the development inbox.
    await openLatestMail(reader, url, BUYER, /receipt/i);
    expect(await reader.locator('.dev-mail-text').textContent()).toContain(DEMO_TITLE);

    // Another browser, later: sign in by e-mailed link and read the members' layer and the live board.
    const member = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await signInThroughDevInbox(member, url, BUYER);
    await member.goto(`${url}/theses/${DEMO_SLUG}`);
    await expectMembersLayer(member);
    await member.goto(`${url}/theses/${DEMO_SLUG}/signals`);
    const signal = member.locator('[data-signal-id]').first();
    const signalTitle = (await signal.getByRole('heading', { level: 2 }).textContent())!;
    const statusBefore = await signal.locator('[data-signal-status]').textContent();

    // The admin (the address the start-up block named) records a move; the member's board shows it live.
    const publisher = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await signInThroughDevInbox(publisher, url, admin!);
    await publisher.goto(`${url}/admin/theses/${DEMO_SLUG}/signals`);
    const adminSignal = publisher.locator('section.signal', { has: publisher.getByRole('heading', { level: 2, name: signalTitle, exact: true }) });
    const newStatus = statusBefore === 'Confirmed' ? 'Weakening' : 'Confirmed';
    // Each signal's "Record update" opens a form for that signal alone.
    await adminSignal.getByRole('link', { name: 'Record update' }).click();
    await publisher.waitForURL('**/new');
    await publisher.getByLabel('New status').selectOption({ label: newStatus });
    await publisher.getByLabel('Evidence note (Markdown)').fill('Tried from a fresh clone: the move shows on the board at once.');
    await publisher.getByRole('button', { name: 'Record update' }).click();
    await publisher.waitForURL('**?recorded=*');
    await signal.locator('.signal-update', { hasText: 'Tried from a fresh clone' }).waitFor();
    expect(await signal.locator('[data-signal-status]').textContent()).toBe(newStatus);
    await expectAccessible(member);
    await docsPicture(member, '3-signal-board');

    // The admin publishes a thesis of their own; a visitor finds it.
    await publisher.goto(`${url}/admin/theses/new`);
    await writeThesis(publisher);
    await publisher.getByRole('button', { name: 'Create draft' }).click();
    await publisher.waitForURL(`**/admin/theses/${SLUG}?saved=1`);
    await docsPicture(publisher, '4-editor');
    await publisher.getByRole('button', { name: 'Publish now' }).click();
    await publisher.waitForURL(`**/admin/theses/${SLUG}?saved=1`);
    expect(await publisher.locator('.state').textContent()).toBe('published');
    const visitor = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await visitor.goto(url);
    await visitor.getByRole('link', { name: TITLE }).click();
    await visitor.waitForURL(`**/theses/${SLUG}`);
    await expectPaywall(visitor);
    await screenshot(visitor, 'try-it-published');
  });
});
