import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, startWarren, type Warren } from './support/harness.ts';
import { verifiedMember } from './support/payments.ts';
import { demoSignals, recordUpdate, signInAdmin, signInWithoutPurchase } from './support/signals.ts';

const THESIS = `/theses/${DEMO_SLUG}`;
const OWNER = 'owner.reader@example.com';
const READER = 'no.purchase@example.com';
type Agent = ReturnType<typeof request.agent>;

/** The header's navigation as text, tags dropped and spaces squeezed. */
const navText = (html: string) => {
  const nav = /<nav aria-label="Account">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return nav.replace(/<input[^>]*>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
};
/** The "You own this" block, or null. */
const ownedBlock = (html: string) => /<aside class="thesis-owned"[\s\S]*?<\/aside>/.exec(html)?.[0] ?? null;
/** The catalogue entry's meta line for the demo thesis. */
/** A time as the pages write it: ISO, exact UTC, and the day. */
const timeOf = (date: Date) => ({
  iso: date.toISOString(),
  exact: `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`,
  day: new Intl.DateTimeFormat('en-CA', { dateStyle: 'long', timeZone: 'UTC' }).format(date),
});
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const catalogMeta = (html: string) => /<li class="catalog-item">[\s\S]*?<p class="meta">([\s\S]*?)<\/p>/.exec(html)?.[1].replace(/\s+/g, ' ') ?? '';

describe('What a member sees: header, catalogue, their thesis, the board', () => {
  let warren: Warren;
  let owner: Agent;
  let reader: Agent;
  let admin: Agent;
  let weakened: ReturnType<typeof timeOf>;
  let signals: Awaited<ReturnType<typeof demoSignals>>['signals'];

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: 'publisher@example.com' });
    ({ signals } = await demoSignals(warren));
    ({ agent: owner } = await verifiedMember(warren, OWNER));
    ({ agent: reader } = await signInWithoutPurchase(warren, READER));
    admin = await signInAdmin(warren);
  });
  afterAll(() => warren.close());

  it('When each kind of viewer opens a page, then the header shows their links: sign in; their theses, account, sign out; and Admin for admins', async () => {
    for (const path of ['/', THESIS]) {
      expect(navText((await request(warren.app).get(path).expect(200)).text)).toBe('Sign in');
      const member = (await owner.get(path).expect(200)).text;
      expect(navText(member)).toBe('Your theses · Account · Sign out');
      expect(member).toContain('<a href="/account#your-theses">Your theses</a>');
      expect(navText((await reader.get(path).expect(200)).text)).toBe('Your theses · Account · Sign out');
      const publisher = (await admin.get(path).expect(200)).text;
      expect(navText(publisher)).toBe('Your theses · Account · Admin · Sign out');
      // The thesis page's shell is shared: the admin's must not have reached the member (nor the reverse).
      expect(navText((await owner.get(path).expect(200)).text)).not.toContain('Admin');
    }
    const account = await owner.get('/account').expect(200);
    expect(account.text).toContain('<h2 id="your-theses">Your theses</h2>');
  });

  it('When the owner opens the catalogue, then their thesis reads "Owned · Read" instead of its price; others see the price', async () => {
    const mine = catalogMeta((await owner.get('/').expect(200)).text);
    expect(mine).toContain('<strong class="owned">Owned</strong> · <a href="/theses/decode-singularity#members-layer"');
    expect(mine).toContain('>Read</a>');
    expect(mine).not.toContain('$75');
    for (const other of [reader, admin]) {
      const meta = catalogMeta((await other.get('/').expect(200)).text);
      expect(meta).toContain('$75 CAD');
      expect(meta).not.toContain('Owned');
    }
  });

  it('When an anonymous visitor opens the catalogue, then it shows the price, no "Owned", and stays shareable by the page cache', async () => {
    await warren.deps.catalog.contentChanged();
    const res = await request(warren.app).get('/').expect(200);
    expect(catalogMeta(res.text)).toContain('$75 CAD');
    expect(res.text).not.toContain('Owned');
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(warren.deps.catalog.publicPages.size).toBe(1);
    expect((await owner.get('/').expect(200)).headers['cache-control']).toBe('private, no-store');
  });

  it('When the owner opens their thesis, then "You own this" names the board\'s update count and last date, and the contents list the members\' sections', async () => {
    const before = ownedBlock((await owner.get(THESIS).expect(200)).text);
    expect(before).toContain('You own this');
    expect(before).toContain('0 signal updates');
    expect(before).not.toContain('<time');

    warren.clock.advance(24 * 3_600_000);
    await recordUpdate(admin, { signalId: signals[0].id, status: 'strengthening', note: 'First evidence.' });
    warren.clock.advance(2 * 24 * 3_600_000);
    const last = timeOf(warren.clock.now());
    await recordUpdate(admin, { signalId: signals[1].id, status: 'confirmed', note: 'Second evidence.' });

    const page = (await owner.get(THESIS).expect(200)).text;
    const block = ownedBlock(page)!;
    expect(block).toContain('href="#members-layer"');
    expect(block).toContain(`href="${THESIS}/signals">Signal board</a>: 2 signal updates, latest:`);
    expect(block).toContain(`<time datetime="${last.iso}" title="${last.exact}" data-relative-time>${last.day}</time>`);
    // Under the tagline, before the contents.
    expect(page.indexOf('class="tagline"')).toBeLessThan(page.indexOf('class="thesis-owned"'));
    expect(page.indexOf('class="thesis-owned"')).toBeLessThan(page.indexOf('id="toc-title"'));
    const toc = /<nav class="toc"[\s\S]*?<\/nav>/.exec(page)![0];
    const sectionLinks = [...page.matchAll(/<section class="prose" id="(members-[^"]+)">\s*<h2>([^<]+)<\/h2>/g)];
    expect(sectionLinks.length).toBeGreaterThanOrEqual(5);
    for (const [, id, title] of sectionLinks) expect(toc).toContain(`<a href="#${id}">${title}</a>`);
    expect(toc).toContain('<a href="#signal-status">Signal status</a>');
  });

  it('When someone who does not own the thesis opens it, then there is no "You own this" and no members\' section in the contents', async () => {
    for (const agent of [request(warren.app), reader]) {
      const page = (await agent.get(THESIS).expect(200)).text;
      expect(ownedBlock(page)).toBeNull();
      expect(page).not.toContain('You own this');
      expect(page).not.toContain('href="#members-');
      expect(page).not.toContain('href="#signal-status"');
    }
  });

  it('When the owner opens the board, then a grid gives each signal its status, last move and update count; quiet signals are collapsed; the proof opens on demand', async () => {
    warren.clock.advance(3_600_000);
    weakened = timeOf(warren.clock.now());
    await recordUpdate(admin, { signalId: signals[0].id, status: 'weakening', note: 'Weaker demand.' });
    const board = (await owner.get(`${THESIS}/signals`).expect(200)).text;
    const grid = /<section class="status-grid"[\s\S]*?<\/section>/.exec(board)![0];
    const rows = [...grid.matchAll(/<tr data-signal-row="([^"]+)">([\s\S]*?)<\/tr>/g)];
    expect(rows.map(([, id]) => id)).toEqual(signals.map((signal) => signal.id));
    const row = (n: number) => rows[n][2];
    expect(row(0)).toContain(`<a href="#signal-${signals[0].id}">${signals[0].title}</a>`);
    expect(row(0)).toContain('<span class="status status-weakening" data-signal-status>Weakening</span>');
    expect(row(0)).toMatch(new RegExp(`<time datetime="${escaped(weakened.iso)}" title="${escaped(weakened.exact)}"[^>]*>${weakened.day}</time>`));
    expect(row(0)).toMatch(/data-label="Updates" data-signal-count>2</);
    expect(row(1)).toContain('>Confirmed</span>');
    expect(row(1)).toMatch(/data-signal-count>1</);
    expect(row(2)).toMatch(/data-signal-count>0</);
    expect(row(2)).toContain('<span data-signal-moved>not yet</span>');
    // Grid first, then the signals.
    expect(board.indexOf('class="status-grid"')).toBeLessThan(board.indexOf(`id="signal-${signals[0].id}"`));

    expect(board).toMatch(new RegExp(`<section class="signal" id="signal-${signals[0].id}"`));
    for (const quiet of signals.slice(2)) {
      expect(board).toMatch(new RegExp(`<details class="signal signal-quiet" id="signal-${quiet.id}" data-signal-id="${quiet.id}">\\s*<summary><h2 class="signal-title">`));
    }
    expect(board).not.toMatch(new RegExp(`<details[^>]*id="signal-${signals[0].id}"`));

    const verify = /<details class="signal-chain" id="verify">([\s\S]*?)<\/details>/.exec(board)?.[1];
    expect(verify).toBeDefined();
    expect(verify).toContain('<summary>Verify this record</summary>');
    const head = await warren.db.signalUpdate.findFirstOrThrow({ orderBy: { sequence: 'desc' } });
    expect(verify).toContain(`<code data-chain-head>${head.hash}</code>`);
    expect(verify).toContain('npm run verify-log');
    expect(verify).toContain(`href="${THESIS}/signals/log.json"`);
    // Closed until asked: no `open` attribute.
    expect(board).not.toMatch(/<details class="signal-chain"[^>]*\bopen\b/);
    // Every shown time carries the exact UTC time.
    for (const time of board.matchAll(/<time [^>]*>/g)) expect(time[0]).toMatch(/title="\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"/);
  });

  it('When a member reads an e-mail on a phone, then long links wrap: the text cells break anywhere rather than widen the mail', async () => {
    await warren.deliverMail();
    const mails = warren.inbox.to(OWNER);
    expect(mails.length).toBeGreaterThanOrEqual(2); // the receipt and the sign-in link
    for (const mail of mails) {
      const cells = [...String(mail.html).matchAll(/<td style="([^"]*)">/g)].map(([, style]) => style);
      expect(cells.filter((style) => style.includes('font-size:16px')).every((style) => style.includes('overflow-wrap:anywhere'))).toBe(true);
      expect(cells.some((style) => style.includes('overflow-wrap:anywhere'))).toBe(true);
    }
  });

  it('When a signal update arrives, then the owner\'s thesis page shows the new count (its cached shell was dropped)', async () => {
    const block = ownedBlock((await owner.get(THESIS).expect(200)).text)!;
    expect(block).toContain('3 signal updates, latest:');
    expect(block).toContain(`datetime="${weakened.iso}"`);
  });
});

describe('The stylesheet', () => {
  it('When a signal weakens, then its chip is amber (--warn), not the red of Failed: no later rule turns it red', async () => {
    const { readFile } = await import('node:fs/promises');
    const css = await readFile(new URL('../public/styles.css', import.meta.url), 'utf8');
    const rules = [...css.matchAll(/([^{}]+)\{([^}]*)\}/g)].map(([, selector, body]) => ({ selector, body }));
    const colours = (name: string) =>
      rules.filter((rule) => rule.selector.split(',').some((part) => part.trim() === name) && /(^|;)\s*color:/.test(rule.body));
    const last = (name: string) => colours(name).at(-1)?.body ?? '';
    expect(last('.status-weakening')).toContain('var(--warn)');
    expect(last('.status-failed')).toContain('var(--bad)');
  });
});
