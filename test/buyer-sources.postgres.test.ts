// The scripted scenario of issue 19 across two instances of the site on one PostgreSQL database.
// Runs only in the "postgres" project (vitest.config.ts). Each instance is built as main.ts builds one
// (buildDeps: its own caches, page-view counter, visitor salt and first touches) on the shared
// database; their counters are flushed by hand, so nothing waits on PAGE_VIEW_FLUSH_MS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_URL, startInstance, startWarren, type Warren } from './support/harness.ts';
import { ADMIN, signInAdmin } from './support/signals.ts';
import { PEOPLE, THESIS, checkout, expectScenarioNumbers, playBuyerScenario, view } from './support/buyer-scenario.ts';

describe('The scripted scenario of issue 19 on two instances sharing one PostgreSQL database', () => {
  let warren: Warren;
  let other: Awaited<ReturnType<typeof startInstance>>;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN, TRUST_PROXY: '1' });
    other = await startInstance(warren);
  });
  afterAll(async () => {
    await other?.close();
    await warren?.close();
  });

  it('When the scenario is played across both instances, then after each flushes its counts the analytics page and both CSVs show exactly its numbers, as on one instance', async () => {
    await playBuyerScenario(warren, warren.app, other.app);
    // Each instance writes only its own increments; the rows add them up.
    const counts = async () =>
      Object.fromEntries((await warren.db.pageViewDay.findMany({ orderBy: { kind: 'asc' } })).map((row) => [row.kind, [row.views, row.visitors]]));
    await warren.deps.pageViews.flush();
    expect(await counts()).toEqual({ buy: [3, 2], thesis: [4, 2] });
    await other.deps.pageViews.flush();
    expect(await counts()).toEqual({ buy: [5, 4], thesis: [9, 4] });
    await expectScenarioNumbers(await signInAdmin(warren));
    // The reader read on one instance and paid through the other: the buy page's Referer carried the campaign.
    const reader = await warren.db.checkoutAttempt.findFirstOrThrow({ where: { user: { email: 'reader@example.com' } } });
    expect([reader.sourceUtmSource, reader.sourceUtmCampaign]).toEqual(['newsletter', 'december']);
  });

  it("When a visitor came from another site on one instance and started the checkout on the other, then the referrer is lost: that sale reads as direct (known and documented)", async () => {
    const visitor = { ip: '203.0.113.200', ua: PEOPLE.hacker.ua };
    await view(warren.app, THESIS, visitor, { Referer: 'https://news.ycombinator.com/item?id=43' });
    const session = await checkout(other.app, visitor, `${APP_URL}${THESIS}`);
    const attempt = await warren.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: session } });
    expect([attempt.sourceReferrer, attempt.sourceUtmSource, attempt.sourceUtmCampaign, attempt.sourceRef]).toEqual([null, null, null, null]);
  });
});
