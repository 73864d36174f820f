import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { contentOf, findThesisForEditing } from '../server/publishing/publishing.repo.ts';
import { runThesisCommand } from '../server/publishing/thesis-command.ts';
import { createThesisWrites } from '../server/publishing/thesis-writes.ts';
import { recordMembersSectionChanges } from '../server/signals/section-record.ts';
import { hasChainEntries } from '../server/signals/signal-log.repo.ts';
import { createThesis, saveThesis } from '../server/publishing/thesis-editing.ts';
import type { ThesisContent } from '../server/publishing/thesis-content.ts';
import type { Db } from '../server/db/database.ts';
import { DEMO_SLUG, startWarren, type Warren } from './support/harness.ts';

// Found in the issue 15 attack review: `check-indent --fix` saves each thesis in a transaction of its
// own; when a later one fails, the fixes committed before it must still reach the running site.
const indent = (text: string) => text.split('\n').map((line, i) => (i === 0 ? line : `  ${line}`)).join('\n');

describe('check-indent --fix that fails midway', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  it('When the second thesis fails, then the fix already committed for the first is still announced', async () => {
    const change = () => ({ authorEmail: 'publisher', at: warren.clock.now() });
    const demo = contentOf((await findThesisForEditing(warren.db, DEMO_SLUG))!);
    const indented: ThesisContent = { ...demo, footer: indent('Harbourline Research\nHalifax, Nova Scotia') };
    await saveThesis(warren.db, DEMO_SLUG, indented, change());
    await createThesis(warren.db, { ...indented, slug: 'second-thesis', title: 'Second' }, change());
    await warren.deps.catalog.contentChanged();
    // The site caches the page with the indented footer.
    expect((await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200)).text).toContain('  Halifax');

    // The database fails on the second thesis's save (an outage, a lock timeout, a refused edit).
    let transactions = 0;
    const flaky = new Proxy(warren.db, {
      get(target, property, receiver) {
        if (property === '$transaction') {
          return (...args: unknown[]) => {
            transactions += 1;
            if (transactions === 2) return Promise.reject(new Error('database went away'));
            return (target.$transaction as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return Reflect.get(target, property, receiver);
      },
    }) as Db;
    await expect(
      runThesisCommand(
        { db: flaky, clock: warren.clock, thesisWrites: createThesisWrites(flaky, warren.deps.catalog, recordMembersSectionChanges, hasChainEntries) },
        ['check-indent', '--fix'],
        { out: () => undefined, err: () => undefined },
      ),
    ).rejects.toThrow('database went away');
    expect(transactions).toBe(2);
    // One of the two was fixed and committed; the site must show it.
    const fixed = await warren.db.thesis.findMany({ where: { footer: 'Harbourline Research\nHalifax, Nova Scotia' }, select: { slug: true } });
    expect(fixed).toHaveLength(1);
    if (fixed[0].slug === DEMO_SLUG) {
      expect((await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200)).text).not.toContain('  Halifax');
    } else {
      // The second thesis is a draft: the announcement is what we can observe.
      expect(warren.deps.catalog.publicPages.size).toBe(0);
    }
  });
});
