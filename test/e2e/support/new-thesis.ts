import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The thesis the publisher writes in the browser tests: its fields, and a member-only marker in two sections. */
export const SLUG = 'memory-wall';
export const TITLE = 'The Memory Wall';
export const TAGLINE = 'Bandwidth, not compute, sets the price of the next token.';
export const EDITED_TAGLINE = 'Bandwidth, not compute, sets the price of every token.';
// Markers only a member may ever see: they must not reach a visitor's page.
export const SECRET_SIZING = 'SECRET-SIZING: scout band 0.5% to 1%.';
const SECRET_TIMING = 'SECRET-TIMING: gate one opens on audited financials.';

export const MEMBER_SUMMARIES = [
  'Bands tied to conviction.',
  'Event-driven entries.',
  'Orders in tranches.',
  'Each signal, live, with evidence.',
  'When to move between layers.',
];

/** Fills the editor's real fields, as the publisher would type them. */
export async function writeThesis(page: Page): Promise<void> {
  const header = page.getByRole('group', { name: 'Header' });
  await header.getByLabel('Slug').fill(SLUG);
  await header.getByLabel('Series').fill('Open Intelligence · Public Thesis');
  await header.getByLabel('Subject (company)').fill('Acme Memory Corp');
  await header.getByLabel('Title').fill(TITLE);
  await header.getByLabel('Tagline').fill(TAGLINE);
  await header.getByLabel('Price').fill('120.00');
  expect(await header.getByLabel('Currency').inputValue()).toBe('CAD');

  await page.getByLabel('Public body').fill(
    '## What this thesis is\n\nA public argument about memory bandwidth.\n\n## The constraint\n\nDecode is bandwidth bound.',
  );

  const stress = page.getByRole('group', { name: 'Stress test' });
  await stress.getByLabel('Counter-argument').first().fill('HBM will catch up.');
  await stress.getByLabel('Its assumption').first().fill('Off-chip bandwidth grows fast enough.');
  await stress.getByLabel('Verdict').first().selectOption('Partial');

  const signals = page.getByRole('group', { name: 'Signals' });
  await signals.getByLabel('Title').nth(0).fill('Price leadership');
  await signals.getByLabel('Description').nth(0).fill('Per-token prices stay the lowest.');
  await signals.getByLabel('Title').nth(1).fill('Customer breadth');
  await signals.getByLabel('Description').nth(1).fill('The largest customer share falls.');

  // The editor offers the five standard members' sections, titled; each needs its public summary.
  const members = page.getByRole('group', { name: "Members' sections" });
  for (const [index, summary] of MEMBER_SUMMARIES.entries()) await members.getByLabel('Summary (public)').nth(index).fill(summary);
  await members.getByLabel('Body (members only, Markdown)').nth(0).fill(SECRET_SIZING);
  await members.getByLabel('Body (members only, Markdown)').nth(1).fill(SECRET_TIMING);

  const disclosure = page.getByRole('group', { name: /^Disclosure/ });
  await disclosure.getByLabel('Yes, a position is held').check();
  await disclosure.getByLabel('Held since (YYYY-MM-DD)').fill('2025-03-01');
  await disclosure.getByLabel('Compensation received').fill('None');
  expect(await disclosure.getByLabel('Statement').inputValue()).not.toBe(''); // the default statement is offered

  await page.getByLabel('Footer').fill('Harbourline Research · Halifax');
}

