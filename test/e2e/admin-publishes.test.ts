import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESKTOP, launchChromium, screenshot } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { expectAccessible, expectMembersLayer, expectPaywall, signInFromLoginPage } from './support/flows.ts';
import { EDITED_TAGLINE, MEMBER_SUMMARIES, SECRET_SIZING, SLUG, TAGLINE, TITLE, writeThesis } from './support/new-thesis.ts';

const ADMIN = 'publisher@warren.test';

describe('The publisher writes, previews, publishes and edits a thesis', () => {
  let site: Site;
  let browser: Browser;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite({ adminEmails: [ADMIN] }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('When the publisher writes and publishes a thesis in the admin area, then visitors find it behind the paywall, and an edit shows on their next request', async () => {
    const adminContext = await browser.newContext({ viewport: DESKTOP });
    const visitorContext = await browser.newContext({ viewport: DESKTOP });
    const laterVisitorContext = await browser.newContext({ viewport: DESKTOP });
    const [admin, visitor, laterVisitor] = await Promise.all([adminContext.newPage(), visitorContext.newPage(), laterVisitorContext.newPage()]);

    // The admin area sends a stranger to sign in; the e-mailed link brings the publisher back.
    await admin.goto(`${site.url}/admin`);
    await admin.waitForURL('**/login?next=%2Fadmin');
    await signInFromLoginPage(admin, site, ADMIN);
    await admin.waitForURL(`${site.url}/admin`);
    expect(await admin.getByText(`Signed in as ${ADMIN}.`).isVisible()).toBe(true);
    await expectAccessible(admin);
    await screenshot(admin, 'admin-1-dashboard');

    await admin.goto(`${site.url}/admin/theses`);
    await expectAccessible(admin);
    await admin.getByRole('link', { name: 'New thesis' }).click();
    await admin.waitForURL('**/admin/theses/new');
    await expectAccessible(admin);
    await writeThesis(admin);
    await screenshot(admin, 'admin-2-new-thesis');
    await admin.getByRole('button', { name: 'Create draft' }).click();
    await admin.waitForURL(`**/admin/theses/${SLUG}?saved=1`);
    expect(await admin.getByRole('status').textContent()).toMatch(/^Saved at \d\d:\d\d UTC\.$/);
    expect(await admin.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    expect(await admin.locator('.state').textContent()).toBe('draft');
    await expectAccessible(admin);
    await screenshot(admin, 'admin-3-draft');

    // A draft is nowhere on the public site. Asked without cookies, as a crawler would: the catalog
    // is then kept in the shared page cache, which publishing must drop.
    expect((await fetch(`${site.url}/theses/${SLUG}`)).status).toBe(404);
    const catalogBefore = await fetch(site.url);
    expect(catalogBefore.headers.get('cache-control')).toBe('public, max-age=60');
    expect(await catalogBefore.text()).not.toContain(TITLE);

    await admin.getByRole('link', { name: 'Preview as a visitor' }).click();
    await admin.waitForURL(`**/admin/theses/${SLUG}/preview`);
    expect(await admin.locator('.preview-banner').textContent()).toContain('Preview as a visitor');
    expect(await admin.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    await expectPaywall(admin);
    expect(await admin.locator('#paywall').textContent()).toContain('$120 CAD');
    expect(await admin.content()).not.toContain('SECRET-');
    await expectAccessible(admin);
    await screenshot(admin, 'admin-4-preview-visitor');

    await admin.getByRole('link', { name: 'back to the editor' }).click();
    await admin.getByRole('link', { name: 'Preview as a member' }).click();
    await admin.waitForURL(`**/admin/theses/${SLUG}/preview?as=member`);
    expect(await admin.locator('.preview-banner').textContent()).toContain('Preview as a member');
    await expectMembersLayer(admin);
    expect(await admin.locator('#members-layer').textContent()).toContain(SECRET_SIZING);
    await expectAccessible(admin);
    await screenshot(admin, 'admin-5-preview-member');

    await admin.getByRole('link', { name: 'back to the editor' }).click();
    await admin.waitForURL(`**/admin/theses/${SLUG}`);
    await admin.getByRole('button', { name: 'Publish now' }).click();
    await admin.waitForURL(`**/admin/theses/${SLUG}?saved=1`);
    expect(await admin.locator('.state').textContent()).toBe('published');
    await expectAccessible(admin);
    await screenshot(admin, 'admin-6-published');
    await admin.goto(`${site.url}/admin/theses`);
    const row = admin.getByRole('row').filter({ has: admin.getByRole('link', { name: TITLE }) });
    expect(await row.locator('.state').textContent()).toBe('published');
    await expectAccessible(admin);
    await screenshot(admin, 'admin-7-theses');

    // The visitor finds it in the catalog and reads its public layer, with the paywall.
    await visitor.goto(site.url);
    await visitor.getByRole('link', { name: TITLE }).click();
    await visitor.waitForURL(`**/theses/${SLUG}`);
    expect(await visitor.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    expect(await visitor.locator('.tagline').textContent()).toBe(TAGLINE);
    expect(await visitor.getByRole('heading', { name: 'The constraint' }).isVisible()).toBe(true);
    expect(await visitor.locator('#disclosure').textContent()).toContain('Compensation: None');
    await expectPaywall(visitor);
    for (const summary of MEMBER_SUMMARIES) expect(await visitor.locator('#paywall').textContent()).toContain(summary);
    expect(await visitor.locator('.thesis-offer .price').textContent()).toBe('$120 CAD');
    expect(await visitor.locator('#paywall').getByRole('link', { name: 'Buy this thesis' }).isVisible()).toBe(true);
    expect(await visitor.content()).not.toContain('SECRET-');
    await expectAccessible(visitor);
    await screenshot(visitor, 'admin-8-public-thesis');
    // Requests without cookies, as a crawler or a CDN makes: answered (and kept) by the shared page cache.
    expect(await (await fetch(`${site.url}/theses/${SLUG}`)).text()).toContain(TAGLINE);
    expect(await (await fetch(site.url)).text()).toContain(TAGLINE);

    // The publisher edits the live thesis.
    await admin.getByRole('link', { name: TITLE }).click();
    await admin.waitForURL(`**/admin/theses/${SLUG}`);
    await admin.getByRole('group', { name: 'Header' }).getByLabel('Tagline').fill(EDITED_TAGLINE);
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.waitForURL(`**/admin/theses/${SLUG}?saved=1`);
    expect(await admin.getByRole('status').textContent()).toMatch(/^Saved at \d\d:\d\d UTC\.$/);
    expect(await admin.locator('.state').textContent()).toBe('published');
    await screenshot(admin, 'admin-9-edited');

    // The next public requests show the edit. A browser may keep a public page it has seen for
    // max-age (60 s) without asking; reloading asks the server, as any visit after that minute does.
    await visitor.reload();
    expect(await visitor.locator('.tagline').textContent()).toBe(EDITED_TAGLINE);
    await expectPaywall(visitor);
    expect(await (await fetch(`${site.url}/theses/${SLUG}`)).text()).toContain(EDITED_TAGLINE);
    await laterVisitor.goto(site.url);
    expect(await laterVisitor.locator('.catalog-item', { hasText: TITLE }).locator('.tagline').textContent()).toBe(EDITED_TAGLINE);
    await expectAccessible(laterVisitor);
    await screenshot(laterVisitor, 'admin-10-catalog-after-edit');

    await Promise.all([adminContext, visitorContext, laterVisitorContext].map((context) => context.close()));
  });
});
