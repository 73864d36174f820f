import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { demoThesis } from '../server/publishing/demo-thesis.ts';
import { DEMO_UPDATES, seedDemoWithSignalUpdates } from '../server/signals/demo-updates.ts';
import { verifyChain } from '../server/signals/hash-chain.ts';
import { listUpdates, toChainEntry } from '../server/signals/signal-log.repo.ts';
import { DEMO_SLUG, startInstance, startWarren, type Warren } from './support/harness.ts';
import { openTestDatabase, type TestDatabase } from './support/test-database.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The five signals of the publisher's outline, in its order. */
const OUTLINE_SIGNALS = [
  'Agent workloads in production',
  'Latency moves economics',
  'Premium low-latency tiers',
  'Tokens per task rising',
  'Software leaves a gap',
];

/** Everything the seed writes, to compare two runs. */
async function seededRows(db: TestDatabase['prisma']) {
  const [theses, signals, updates, revisions] = await Promise.all([
    db.thesis.findMany({ select: { id: true, revision: true } }),
    db.signal.findMany({ orderBy: { position: 'asc' }, select: { id: true, title: true, status: true } }),
    db.signalUpdate.findMany({ orderBy: { sequence: 'asc' }, select: { id: true, hash: true } }),
    db.thesisRevision.count(),
  ]);
  return { theses, signals, updates, revisions };
}

describe('The demo seed on a fresh start', () => {
  let warren: Warren;
  let fresh: TestDatabase;
  beforeAll(async () => {
    warren = await startWarren();
    fresh = await openTestDatabase();
  });
  afterAll(async () => {
    await fresh.destroy();
    await warren.close();
  });

  it('When an empty database is seeded, then the publisher\'s thesis is published with the outline\'s five signals and dated moves whose chain verifies', async () => {
    expect(await seedDemoWithSignalUpdates(fresh.prisma, warren.clock, warren.config.publisherName)).toBe(true);
    const now = warren.clock.now();
    const thesis = await fresh.prisma.thesis.findUniqueOrThrow({
      where: { slug: DEMO_SLUG },
      include: { signals: { orderBy: { position: 'asc' } }, stressTests: { orderBy: { position: 'asc' } } },
    });
    expect(thesis.publishedAt).toEqual(now);
    expect(thesis.signals.map((signal) => signal.title)).toEqual(OUTLINE_SIGNALS);
    expect(thesis.stressTests.map((item) => item.verdict)).toEqual(['Invalid', 'Partial', 'Invalid']);
    expect(thesis.publicClosing).toMatch(/^## Final Condition\n/);
    expect(thesis.footer).toContain(`${warren.config.publisherName} · Calgary`);
    expect(thesis.disclosureCompensation).toContain(`None. ${warren.config.publisherName} received no compensation`);

    const updates = await listUpdates(fresh.prisma, thesis.id);
    expect(verifyChain(updates.map(toChainEntry))).toEqual({ ok: true, count: DEMO_UPDATES.length, head: updates.at(-1)!.hash });
    // Evidence dates lie in the past, relative to the clock, at midnight UTC; nobody was alerted.
    for (const [index, update] of updates.entries()) {
      const daysAgo = (now.getTime() - update.occurredAt.getTime()) / DAY_MS;
      expect(daysAgo).toBeGreaterThanOrEqual(DEMO_UPDATES[index].daysAgo);
      expect(daysAgo).toBeLessThan(DEMO_UPDATES[index].daysAgo + 1);
      expect(update.occurredAt.toISOString()).toMatch(/T00:00:00\.000Z$/);
      expect(update.alert).toBe(false);
    }
    expect(updates.map((update) => update.signalTitle)).toEqual(DEMO_UPDATES.map((update) => update.signalTitle));
    expect(thesis.signals.map((signal) => signal.status)).toEqual(['confirmed', 'watching', 'watching', 'strengthening', 'watching']);
    expect(await fresh.prisma.outboxMessage.count()).toBe(0);

    // A site on that database shows the record on the public page from the first visit.
    const site = await startInstance(warren, { database: fresh });
    try {
      const page = (await request(site.app).get(`/theses/${DEMO_SLUG}`).expect(200)).text;
      expect(page).toContain(`Signal record: ${DEMO_UPDATES.length} dated updates on record`);
      expect(page).toContain(demoThesis.title);
    } finally {
      await site.close();
    }
  });

  it('When the seed runs again, or over a database with content, then nothing changes', async () => {
    const before = await seededRows(fresh.prisma);
    expect(await seedDemoWithSignalUpdates(fresh.prisma, warren.clock, warren.config.publisherName)).toBe(false);
    expect(await seededRows(fresh.prisma)).toEqual(before);

    // The harness's database already holds the demo thesis, without moves: they are not added to it.
    expect(await seedDemoWithSignalUpdates(warren.db, warren.clock, warren.config.publisherName)).toBe(false);
    expect(await warren.db.signalUpdate.count()).toBe(0);
  });
});
