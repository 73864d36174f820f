// Outbox scenario: a backlog of receipts drained by Warren's running worker into the SMTP sink, then
// the same number of messages, about as large, sent by the bare loop of baseline-outbox.mjs.
import { randomBytes } from 'node:crypto';
import { systemClock } from '../server/clock.ts';
import { DEFAULT_CONCURRENCY } from '../server/mail/outbox-worker.ts';
import { sampleRss, type BenchContext } from './context.ts';
import { runWorker } from './load.ts';
import type { Row } from './report.ts';

/**
 * Warren's msg/s over the baseline's (baseline-outbox.mjs: the same nodemailer pool, one update per
 * message). Both are bound mostly by SMTP: Warren did 0.8 of it in a full run and 1.5 in a quick one
 * on a shared 2-core machine on SQLite (December 2026). A target a little over half of the full run
 * fails a change that halves the delivery rate, however fast the machine.
 */
const MIN_RATIO = 0.45;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the sink holds `count` messages or the time is up; returns whether it got there. */
async function waitForMail(context: BenchContext, count: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (context.sink.arrivals.length < count) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/**
 * Runs a write of this process's own, again while the site's process holds SQLite's one writer (its
 * worker may still be sending the webhook burst's receipts): a read snapshot that a site commit made
 * stale fails at once (SQLITE_BUSY_SNAPSHOT), whatever the busy timeout.
 */
async function whileSqliteBusy<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const described = `${String(error)} ${JSON.stringify((error as { meta?: unknown }).meta ?? null)}`;
      if (attempt >= 40 || !/database is locked|SQLITE_BUSY/.test(described)) throw error;
      await sleep(250);
    }
  }
}

/**
 * Queues a batch of receipts (as fulfilment does: each mints a sign-in link at delivery) on top of
 * whatever the webhook burst left, and measures what the running worker delivers to the sink while
 * it has a backlog, for at most `duration` × 3 seconds.
 */
export async function outboxScenario(context: BenchContext): Promise<Row> {
  const messages = context.sizes.outboxMessages;
  // Let the receipts of the webhook burst go first (bounded), so SQLite's one writer is free.
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline && (await context.db.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } })) > 0) await sleep(250);
  const now = systemClock.now();
  const user = await whileSqliteBusy(() => context.db.user.upsert({ where: { email: 'outbox@bench.test' }, create: { email: 'outbox@bench.test', createdAt: now }, update: {} }));
  const tag = randomBytes(4).toString('hex');
  await whileSqliteBusy(() => context.db.outboxMessage.createMany({
    data: Array.from({ length: messages }, (_, n) => ({
      dedupeKey: `bench-outbox:${tag}:${n}`,
      template: 'receipt',
      recipient: `mail${n}@outbox.bench.test`,
      payload: JSON.stringify({
        data: { thesisTitle: 'The Decode Singularity', price: '$75 CAD', purchasedOn: '2026-11-26', reference: `ref-${n}` },
        signInFor: { userId: user.id, nextPath: '/' },
      }),
      nextAttemptAt: now,
      createdAt: now,
    })),
  }));
  const backlog = await context.db.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } });
  const before = context.sink.arrivals.length;
  const started = performance.now();
  const done = await sampleRss(context, () => waitForMail(context, before + backlog, context.sizes.duration * 3000));
  const delivered = context.sink.arrivals.length - before;
  const spanS = ((done ? context.sink.arrivals.at(-1)! : performance.now()) - started) / 1000;
  const rate = delivered / spanS;
  if (!done) {
    const states = await context.db.outboxMessage.groupBy({ by: ['status'], _count: true });
    context.log(`outbox states: ${JSON.stringify(states)}; server log tail:\n${context.site.stderrTail().slice(-3000)}`);
  }
  const bytes = context.sink.meanSize(before);

  // Warren's worker is idle now (or the row fails anyway): the baseline sends as many messages.
  const baseFrom = context.sink.arrivals.length;
  const base = await runWorker<{ sent: number; elapsedS: number }>('baseline-outbox.mjs', {
    smtpUrl: context.sink.url, databaseUrl: context.baselineDatabaseUrl, count: backlog, bytes: Math.round(bytes), concurrency: DEFAULT_CONCURRENCY,
  });
  const baseRate = base.sent / base.elapsedS;
  const ratio = rate / baseRate;
  context.log(`outbox: ${delivered}/${backlog} delivered in ${spanS.toFixed(1)} s, ${rate.toFixed(0)} msg/s, ${bytes.toFixed(0)} B each; baseline ${baseRate.toFixed(0)} msg/s, ${context.sink.meanSize(baseFrom).toFixed(0)} B each; ratio ${ratio.toFixed(3)}`);
  return {
    scenario: `outbox → local SMTP sink, backlog of ${backlog} receipts`,
    measured: `${rate.toFixed(0)} msg/s (${delivered} in ${spanS.toFixed(1)} s)`,
    baseline: `${baseRate.toFixed(0)} msg/s`,
    ratio: ratio.toFixed(2),
    target: `≥ ${MIN_RATIO}, all delivered`,
    pass: done && ratio >= MIN_RATIO,
  };
}
