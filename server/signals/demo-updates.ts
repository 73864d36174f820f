import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { seedDemoContentIfEmpty } from '../publishing/demo-seed.ts';
import { demoThesis } from '../publishing/demo-thesis.ts';
import { recordSignalUpdate } from './record-update.ts';
import type { SignalStatus } from './statuses.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The demo's dated moves, oldest first, so the live board has a history on the first visit. */
export const DEMO_UPDATES: { signalTitle: string; status: SignalStatus; daysAgo: number; note: string }[] = [
  {
    signalTitle: 'Agent workloads in production',
    status: 'strengthening',
    daysAgo: 40,
    note: 'Demo entry, illustrative: more agent workloads reported running in production than a quarter earlier. The publisher replaces it with dated evidence and a source.',
  },
  {
    signalTitle: 'Tokens per task rising',
    status: 'strengthening',
    daysAgo: 21,
    note: 'Demo entry, illustrative: reasoning models report spending more tokens per completed task. The publisher replaces it with dated evidence and a source.',
  },
  {
    signalTitle: 'Agent workloads in production',
    status: 'confirmed',
    daysAgo: 6,
    note: 'Demo entry, illustrative: a second independent source shows agent traffic in production, meeting the two-source rule. The publisher replaces it with dated evidence and a source.',
  },
];

/** Midnight UTC of the day `days` before `now`: evidence dates are days. */
const dayBefore = (now: Date, days: number) => {
  const date = new Date(now.getTime() - days * DAY_MS);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
};

/**
 * Seeds the demo thesis into an empty database, then its dated signal moves through the same
 * service the admin uses, so the chain verifies like any other. The moves are recorded only by
 * the run that inserted the thesis, so a second run (or a second instance) adds nothing.
 */
export async function seedDemoWithSignalUpdates(db: Db, clock: Clock, publisherName: string): Promise<boolean> {
  if (!(await seedDemoContentIfEmpty(db, clock.now(), publisherName))) return false;
  const thesis = await db.thesis.findUniqueOrThrow({
    where: { slug: demoThesis.slug },
    select: { id: true, slug: true, title: true, signals: { select: { id: true, title: true } } },
  });
  for (const update of DEMO_UPDATES) {
    const signal = thesis.signals.find((candidate) => candidate.title === update.signalTitle)!;
    await recordSignalUpdate(db, clock, thesis, {
      signalId: signal.id,
      status: update.status,
      note: update.note,
      sourceUrl: null,
      occurredOn: dayBefore(clock.now(), update.daysAgo),
      correctsSequence: null,
      // Nobody has bought anything yet; there is no one to alert.
      alert: false,
    });
  }
  return true;
}
