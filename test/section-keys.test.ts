import { describe, expect, it } from 'vitest';
import { sectionKeys } from '../server/catalog/section-keys.ts';
import { membersSectionChanges } from '../server/publishing/members-sections.ts';
import { verifyChain, hashUpdate, textDigest, GENESIS_HASH, type HashedSectionChange } from '../server/signals/hash-chain.ts';

describe('section keys', () => {
  it('give every section of a thesis its own key (a title "Sizing 2" next to two "Sizing")', () => {
    const keys = sectionKeys([{ title: 'Sizing' }, { title: 'Sizing' }, { title: 'Sizing 2' }]);
    expect(new Set(keys).size).toBe(keys.length);
  });
  it('give every section its own key whatever order the titles come in', () => {
    const keys = sectionKeys([{ title: 'Sizing 2' }, { title: 'Sizing' }, { title: 'Sizing' }]);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('positional matching', () => {
  it('removing the first section does not record the next one as rewritten from the removed text, nor as removed', () => {
    const a = { title: 'Alpha', summary: '', body: 'alpha text' };
    const b = { title: 'Beta', summary: '', body: 'beta text' };
    const changes = membersSectionChanges([a, b], [b]);
    // Today: [beta: "Alpha…" -> "Beta…"], [beta: "Beta…" -> ""]: Beta's history page shows Alpha's text
    // as Beta "as published" and then Beta as removed, though Beta did not change; Alpha's removal is
    // recorded nowhere under its own key, and members are alerted that Beta changed.
    expect(changes.map((c) => [c.key, c.previousText.startsWith('Alpha'), c.text === ''])).toEqual([['alpha', true, true]]);
  });
});

describe('verify-log and the section texts', () => {
  it('a section entry whose text was replaced by a non-string is a broken link', () => {
    const unhashed = {
      sequence: 1,
      id: 'x',
      thesisId: 't',
      kind: 'section' as const,
      sectionKey: 'k',
      sectionTitle: 'K',
      textSha256: textDigest('new'),
      previousTextSha256: textDigest('old'),
      editorial: false,
      recordedAt: '2026-12-01T00:00:00.000Z',
      alert: true,
      prevHash: GENESIS_HASH,
    };
    const entry = { ...unhashed, hash: hashUpdate(unhashed), text: ['forged text'] as unknown as string, previousText: 'old' } satisfies HashedSectionChange;
    expect(verifyChain([entry]).ok).toBe(false);
  });
});
