// Write scenarios: a burst of Stripe webhooks, then the outbox draining into the SMTP sink.
import { createHmac, randomBytes } from 'node:crypto';
import { ATTESTATION, ATTESTATION_TEXT } from '../server/checkout/attestation.ts';
import { systemClock } from '../server/clock.ts';
import { BENCH_WEBHOOK_SECRET, sampleRss, type BenchContext } from './context.ts';
import { runLoad } from './load.ts';
import type { Row } from './report.ts';

const CONNECTIONS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** More sessions than any run can fulfil at the target rate, so none is refused for want of an attempt. */
const ATTEMPTS_PER_SECOND = 3000;

/**
 * The checkout attempts the site would have recorded when it created these sessions: fulfilment
 * refuses a session this server did not create.
 */
async function recordAttempts(context: BenchContext, sessionIds: string[]): Promise<void> {
  const now = systemClock.now();
  for (let start = 0; start < sessionIds.length; start += 5000) {
    await context.db.checkoutAttempt.createMany({
      data: sessionIds.slice(start, start + 5000).map((checkoutSessionId) => ({
        id: `attempt_${checkoutSessionId}`,
        checkoutSessionId,
        thesisId: context.thesis.id,
        amount: context.thesis.priceAmount,
        currency: context.thesis.currency,
        mode: 'payment',
        livemode: false,
        attestationVersion: ATTESTATION.version,
        attestationText: ATTESTATION_TEXT,
        attestedAt: now,
        attestedIp: '127.0.0.1',
        createdAt: now,
        updatedAt: now,
      })),
    });
  }
}

/** One signed checkout.session.completed for a paid session of the demo thesis. */
export async function postPurchase(context: BenchContext, sessionId: string, email: string): Promise<void> {
  await recordAttempts(context, [sessionId]);
  const session = {
    id: sessionId, object: 'checkout.session', mode: 'payment', status: 'complete', payment_status: 'paid',
    amount_subtotal: context.thesis.priceAmount, amount_total: context.thesis.priceAmount, currency: context.thesis.currency, metadata: { thesisId: context.thesis.id },
    customer_email: null, customer_details: { email }, payment_intent: `pi_${sessionId}`, livemode: false, created: 0,
  };
  const body = JSON.stringify({ id: `evt_${sessionId}`, object: 'event', type: 'checkout.session.completed', livemode: false, data: { object: session } });
  const t = Math.floor(systemClock.now().getTime() / 1000);
  const v1 = createHmac('sha256', BENCH_WEBHOOK_SECRET).update(`${t}.${body}`).digest('hex');
  const res = await fetch(`${context.site.url}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${v1}` },
    body,
  });
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
}

export async function webhookScenario(context: BenchContext): Promise<Row> {
  const prefix = `cs_bench_${randomBytes(4).toString('hex')}_`;
  await recordAttempts(context, Array.from({ length: ATTEMPTS_PER_SECOND * context.sizes.duration }, (_, n) => `${prefix}${n}`));
  const result = await sampleRss(context, () =>
    runLoad({
      url: `${context.site.url}/webhooks/stripe`,
      connections: CONNECTIONS,
      duration: context.sizes.duration,
      webhooks: { secret: BENCH_WEBHOOK_SECRET, thesisId: context.thesis.id, amount: context.thesis.priceAmount, currency: context.thesis.currency, prefix },
    }),
  );
  // Every request carried a new session: what was acknowledged must be in the database, once.
  const events = result.ok;
  const rate = result.ok / result.elapsedS;
  await sleep(2000); // requests cut off by the end of the load still finish on the server
  // Exactly once: every session has one purchase, one entitlement and one receipt in the outbox.
  const [purchases, entitlements, receipts] = await Promise.all([
    context.db.purchase.count({ where: { checkoutSessionId: { startsWith: prefix } } }),
    context.db.entitlement.count({ where: { purchase: { checkoutSessionId: { startsWith: prefix } } } }),
    context.db.outboxMessage.count({ where: { dedupeKey: { startsWith: `receipt:${prefix}` } } }),
  ]);
  // Requests in flight when the load stopped are not counted as acknowledged but may have completed.
  const exact = purchases === entitlements && purchases === receipts && purchases >= events && purchases <= events + CONNECTIONS;
  const failures = result.non2xx + result.errors + result.timeouts;
  const target = context.kind === 'sqlite' ? 500 : 300;
  context.log(`webhooks: ${rate.toFixed(0)} events/s; purchases ${purchases}, entitlements ${entitlements}, receipts ${receipts} of ${events}`);
  return {
    scenario: `checkout.session.completed webhooks, distinct sessions, ${CONNECTIONS} conns, ${context.sizes.duration} s`,
    measured: `${rate.toFixed(0)} events/s (${events} acknowledged), ${failures} errors; rows ${exact ? 'exactly once' : `WRONG (${purchases}/${entitlements}/${receipts})`}`,
    baseline: '—',
    ratio: '—',
    target: `≥ ${target} events/s (${context.kind}); every purchase and outbox row once`,
    pass: rate >= target && exact && failures === 0,
  };
}

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
  const user = await context.db.user.upsert({ where: { email: 'outbox@bench.test' }, create: { email: 'outbox@bench.test', createdAt: now }, update: {} });
  const tag = randomBytes(4).toString('hex');
  await context.db.outboxMessage.createMany({
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
  });
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
  context.log(`outbox: ${delivered}/${backlog} delivered in ${spanS.toFixed(1)} s, ${rate.toFixed(0)} msg/s`);
  return {
    scenario: `outbox → local SMTP sink, backlog of ${backlog} receipts`,
    measured: `${rate.toFixed(0)} msg/s (${delivered} in ${spanS.toFixed(1)} s)`,
    baseline: '—',
    ratio: '—',
    target: '≥ 300 msg/s',
    pass: rate >= 300,
  };
}
