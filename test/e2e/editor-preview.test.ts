import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page, Route } from 'playwright-core';
import { LAPTOP, PHONE, docsPicture, launchChromium, screenshot } from './support/browser.ts';
import { startSite, type Site } from './support/site.ts';
import { DEMO_SLUG, expectAccessible, signInFromLoginPage } from './support/flows.ts';

const ADMIN = 'publisher@warren.test';
const EDITOR = `/admin/theses/${DEMO_SLUG}`;
const TYPED = '## Fresh heading\n\nA public argument, now in **bold**.';

const selected = (tab: Locator) => tab.getAttribute('aria-selected');
const isFocused = (node: Locator) => node.evaluate((element) => element === document.activeElement);

describe("The editor's Write and Preview tabs in a browser", () => {
  let site: Site;
  let browser: Browser;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite({ adminEmails: [ADMIN] }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function openEditor(options: Parameters<Browser['newContext']>[0]): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    await page.goto(`${site.url}/login?next=${encodeURIComponent(EDITOR)}`);
    await signInFromLoginPage(page, site, ADMIN);
    await page.waitForURL(`${site.url}${EDITOR}`);
    return { context, page };
  }

  /** Scrolls so the field's top sits just under the sticky action bar, for the picture. */
  const bringUnderBar = (page: Page, field: Locator) =>
    field.evaluate((node) => {
      const bar = document.querySelector('.action-bar')!.getBoundingClientRect().height;
      window.scrollTo(0, node.getBoundingClientRect().top + window.scrollY - bar - 12);
    });

  for (const [name, viewport] of [['desktop', LAPTOP], ['phone', PHONE]] as const) {
    it(`When the publisher previews the public body (${name}), then the rendered Markdown replaces the box, and Write brings the text back unchanged`, async () => {
      const { context, page } = await openEditor({ viewport });
      const field = page.getByRole('group', { name: 'Public body (Markdown)' });
      const box = page.locator('textarea[name=publicBody]');
      const write = field.getByRole('tab', { name: 'Write' });
      const preview = field.getByRole('tab', { name: 'Preview' });
      expect(await field.getByRole('tablist').count()).toBe(1);
      expect(await selected(write)).toBe('true');
      expect(await box.isVisible()).toBe(true);

      await box.fill(TYPED);
      await preview.click();
      await field.getByRole('heading', { level: 2, name: 'Fresh heading' }).waitFor();
      expect(await field.getByRole('tabpanel').locator('strong').textContent()).toBe('bold');
      expect(await selected(preview)).toBe('true');
      expect(await selected(write)).toBe('false');
      expect(await box.isHidden()).toBe(true);
      expect(await field.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(await preview.getAttribute('id'));

      await expectAccessible(page);
      await bringUnderBar(page, field);
      await docsPicture(page, `17-editor-preview-${name}`);

      await write.click();
      expect(await box.isVisible()).toBe(true);
      expect(await box.inputValue()).toBe(TYPED);
      expect(await field.locator('.markdown-preview').isHidden()).toBe(true);

      // Keyboard: one tab stop for the list; the arrows move between the tabs and select them.
      expect(await write.getAttribute('tabindex')).toBe('0');
      expect(await preview.getAttribute('tabindex')).toBe('-1');
      await write.focus();
      await page.keyboard.press('ArrowRight');
      expect(await isFocused(preview)).toBe(true);
      expect(await selected(preview)).toBe('true');
      await field.getByRole('heading', { level: 2, name: 'Fresh heading' }).waitFor();
      await page.keyboard.press('ArrowLeft');
      expect(await isFocused(write)).toBe(true);
      expect(await selected(write)).toBe('true');
      expect(await box.isVisible()).toBe(true);
      await page.keyboard.press('ArrowLeft'); // wraps round to the last tab
      expect(await isFocused(preview)).toBe(true);
      await page.keyboard.press('Home');
      expect(await isFocused(write)).toBe(true);
      expect(await box.inputValue()).toBe(TYPED);
      await context.close();
    });
  }

  it("When the publisher adds a members' section while the last one is previewed, then the new row has its own working tabs, in Write", async () => {
    const { context, page } = await openEditor({ viewport: LAPTOP });
    const members = page.getByRole('group', { name: "Members' sections" });
    const rows = members.locator('.editor-row');
    const rowsBefore = await rows.count();
    const last = rows.nth(rowsBefore - 1);
    await last.locator('textarea[name=memberBody]').fill('The *last* section before.');
    await last.getByRole('tab', { name: 'Preview' }).click();
    await last.locator('.markdown-preview em').waitFor();

    await members.getByRole('button', { name: "Add a members' section" }).click();
    expect(await rows.count()).toBe(rowsBefore + 1);
    const added = rows.nth(rowsBefore);
    // The copy starts in Write, empty, and its label names its own box.
    expect(await selected(added.getByRole('tab', { name: 'Write' }))).toBe('true');
    expect(await added.locator('textarea[name=memberBody]').isVisible()).toBe(true);
    expect(await added.locator('.markdown-preview').isHidden()).toBe(true);
    expect(await added.locator('.markdown-preview').textContent()).toBe('');
    expect(await members.getByLabel('Body (members only, Markdown)').count()).toBe(rowsBefore + 1);
    await members.getByLabel('Body (members only, Markdown)').last().fill('A *fresh* section.');
    expect(await added.locator('textarea[name=memberBody]').inputValue()).toBe('A *fresh* section.');

    await added.getByRole('tab', { name: 'Preview' }).click();
    expect(await added.locator('.markdown-preview em').textContent()).toBe('fresh');
    expect(await added.locator('textarea[name=memberBody]').isHidden()).toBe(true);
    // The row it was copied from keeps its own preview.
    expect(await last.locator('.markdown-preview em').textContent()).toBe('last');
    await added.getByRole('tab', { name: 'Write' }).click();
    expect(await added.locator('textarea[name=memberBody]').inputValue()).toBe('A *fresh* section.');

    await screenshot(last, 'editor-preview-copied-row');
    await screenshot(added, 'editor-preview-added-row');

    const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((node) => node.id));
    expect(ids.length).toBe(new Set(ids).size);
    await expectAccessible(page);
    await context.close();
  });

  it('When the preview is on its way, fails, or is refused, then the panel says so and the text is kept', async () => {
    const { context, page } = await openEditor({ viewport: LAPTOP });
    const field = page.getByRole('group', { name: /^Closing, after the offer/ });
    const box = field.getByLabel('Closing, after the offer');
    const panel = field.locator('.markdown-preview');
    await box.fill('A closing *word*.');

    // The request is held until the test lets it go (here: fails it, as a dropped connection would).
    let letGo!: (route: Route) => void;
    const held = new Promise<Route>((resolve) => (letGo = resolve));
    await page.route('**/admin/theses/markdown-preview.json', (route) => letGo(route));
    await field.getByRole('tab', { name: 'Preview' }).click();
    const route = await held;
    expect(await panel.textContent()).toBe('Rendering…');
    expect(await panel.getAttribute('aria-busy')).toBe('true');
    await route.abort();
    await field.getByText('The preview could not be shown: the site did not answer.', { exact: false }).waitFor();
    expect(await panel.getAttribute('aria-busy')).toBeNull();
    expect(await panel.locator('em').count()).toBe(0);

    // Once the site answers, choosing Preview again renders.
    await page.unroute('**/admin/theses/markdown-preview.json');
    await field.getByRole('tab', { name: 'Preview' }).click();
    expect(await panel.locator('em').textContent()).toBe('word');
    await field.getByRole('tab', { name: 'Write' }).click();
    expect(await box.inputValue()).toBe('A closing *word*.');

    // The server's refusal is shown as it words it.
    const tooLong = 'a'.repeat(200_001);
    await box.fill(tooLong);
    await field.getByRole('tab', { name: 'Preview' }).click();
    await field.getByText('The preview could not be shown: This text is too long to preview: at most 200,000 characters.').waitFor();
    await field.getByRole('tab', { name: 'Write' }).click();
    expect((await box.inputValue()).length).toBe(tooLong.length);
    await context.close();
  });

  it('When the publisher has JavaScript off, then there are no tabs, every box shows, and the full-page previews remain', async () => {
    const { context, page } = await openEditor({ viewport: LAPTOP, javaScriptEnabled: false });
    expect(await page.getByRole('tab').count()).toBe(0);
    for (const box of await page.locator('textarea[name=publicBody], textarea[name=memberBody], textarea[name=membersExcerpt], textarea[name=publicClosing]').all()) {
      expect(await box.isVisible()).toBe(true);
    }
    expect(await page.getByRole('link', { name: 'Preview as a visitor' }).getAttribute('href')).toBe(`${EDITOR}/preview`);
    await context.close();
  });
});
