import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type Stripe from 'stripe';
import { createStripeEventHandler, createStripeEventProcessor } from '../server/checkout/stripe-events.ts';
import { createWebhookBatcher } from '../server/checkout/webhook-batcher.ts';
import { isUniqueViolation, openDatabase, type Db } from '../server/db/database.ts';
import { countStatements } from '../server/db/query-count.ts';
import { WEBHOOK_SECRET, postWebhook, startWarren, type Warren } from './support/harness.ts';
import { deliver, paidSession, standing } from './support/payments.ts';

const ADMIN = 'batch-admin@example.com';

let warren: Warren;
/** A site of its own per block: each pays for its sessions at the buy page, which limits checkouts per address. */
const withWarren = () => {
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
  });
  afterAll(() => warren.close());
};

/** The webhook route's batcher, built the same way, so a test can put events in one batch for sure. */
const batcher = (options: { maxBatch?: number; concurrency?: number } = {}) => {
  const deps = { db: warren.db, clock: warren.clock, adminEmails: [ADMIN], logger: pino({ level: 'silent' }) };
  return createWebhookBatcher({ db: warren.db, handle: createStripeEventHandler(deps), processAlone: createStripeEventProcessor(deps), ...options });
};
const completed = (session: object) => warren.stripe.event('checkout.session.completed', session) as unknown as Stripe.Event;
const refunded = (session: Parameters<Warren['stripe']['charge']>[0]) =>
  warren.stripe.event('charge.refunded', warren.stripe.charge(session, 'full')) as unknown as Stripe.Event;
/** Events handled as the batcher hands them over: in order, in one transaction. */
const inOneBatch = (events: Stripe.Event[], db: Db = warren.db) => {
  const handle = createStripeEventHandler({ db, clock: warren.clock, adminEmails: [ADMIN], logger: pino({ level: 'silent' }) });
  return db.$transaction((tx) => handle(tx, events));
};

/** What one session left behind: purchases, entitlements, receipts and admin sale notices queued. */
const effects = async (sessionId: string) => {
  const purchases = await warren.db.purchase.findMany({ where: { checkoutSessionId: sessionId }, select: { id: true } });
  return {
    purchases: purchases.length,
    entitlements: await warren.db.entitlement.count({ where: { purchase: { checkoutSessionId: sessionId } } }),
    receipts: await warren.db.outboxMessage.count({ where: { dedupeKey: `receipt:${sessionId}` } }),
    saleNotices: await warren.db.outboxMessage.count({ where: { dedupeKey: { in: purchases.map((p) => `admin-sale:${p.id}:${ADMIN}`) } } }),
  };
};
const once = { purchases: 1, entitlements: 1, receipts: 1, saleNotices: 1 };
const none = { purchases: 0, entitlements: 0, receipts: 0, saleNotices: 0 };

describe('Webhooks that arrive together (group commit)', () => {
  withWarren();

  it('When many deliveries arrive at once, with a duplicate and a refused session among them, then each is answered and takes effect exactly once', async () => {
    const buyers = Array.from({ length: 8 }, (_, n) => `burst-${n}@example.com`);
    const sessions = await Promise.all(buyers.map((email) => paidSession(warren, email)));
    const tampered = { ...(await paidSession(warren, 'burst-tampered@example.com')), amount_subtotal: 100, amount_total: 100 };
    const signed = sessions.map((session) => warren.stripe.signedEvent('checkout.session.completed', session, WEBHOOK_SECRET));
    const refused = warren.stripe.signedEvent('checkout.session.completed', tampered, WEBHOOK_SECRET);

    const answers = await Promise.all([...signed, signed[0]!, refused].map((event) => postWebhook(warren, event)));

    expect(answers.map((res) => res.status)).toEqual(answers.map(() => 200));
    for (const session of sessions) expect(await effects(session.id)).toEqual(once);
    expect(await warren.db.stripeEvent.count({ where: { id: { in: [...signed, refused].map((s) => s.event.id) } } })).toBe(signed.length + 1);
    expect(await effects(tampered.id)).toEqual(none);
    expect(await warren.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: tampered.id }, select: { status: true } })).toEqual({
      status: 'rejected',
    });
    expect(await warren.db.adminAlert.count({ where: { dedupeKey: `checkout-refused:${tampered.id}` } })).toBe(1);
    await warren.deliverMail();
    for (const email of buyers) expect(warren.inbox.to(email)).toHaveLength(1);
    expect(warren.inbox.to('burst-tampered@example.com')).toHaveLength(0);
  });

  it('When the same event is twice in one batch, then the second is answered as a duplicate and nothing happens twice', async () => {
    const session = await paidSession(warren, 'same-batch@example.com');
    const event = completed(session);
    const process = batcher();

    const outcomes = await Promise.all([process(event), process(structuredClone(event))]);

    expect(outcomes.map((outcome) => outcome.result)).toEqual(['processed', 'duplicate']);
    expect(await effects(session.id)).toEqual(once);
  });

  it('When several batches run side by side, with each event delivered twice, then each is processed once and answered once as a duplicate', async () => {
    const sessions = await Promise.all(Array.from({ length: 6 }, (_, n) => paidSession(warren, `side-by-side-${n}@example.com`)));
    const events = sessions.map(completed);
    const process = batcher({ maxBatch: 2, concurrency: 3 });

    const outcomes = await Promise.all([...events, ...events.map((event) => structuredClone(event))].map((event) => process(event)));

    for (const [index, event] of events.entries()) {
      const results = [outcomes[index]!.result, outcomes[index + events.length]!.result].sort();
      expect({ event: event.id, results }).toEqual({ event: event.id, results: ['duplicate', 'processed'] });
    }
    for (const session of sessions) expect(await effects(session.id)).toEqual(once);
  });

  it('When one event makes the batch transaction fail, then the others are still committed and the failing one alone is refused, leaving nothing', async () => {
    const [first, second, third] = await Promise.all(['fallback-1', 'fallback-2', 'fallback-3'].map((name) => paidSession(warren, `${name}@example.com`)));
    // A session claiming another session's payment intent: its purchase breaks the unique payment
    // intent, so the batch transaction fails, whatever order the others ran in.
    const clashing = { ...second!, payment_intent: first!.payment_intent };
    const events = [completed(first!), completed(clashing), completed(third!)];
    const process = batcher();

    const settled = await Promise.allSettled(events.map((event) => process(event)));

    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(isUniqueViolation((settled[1] as PromiseRejectedResult).reason)).toBe(true);
    expect(await effects(first!.id)).toEqual(once);
    expect(await effects(third!.id)).toEqual(once);
    expect(await effects(second!.id)).toEqual(none);
    // Not recorded: Stripe's redelivery (or reconciliation) will try it again.
    expect(await warren.db.stripeEvent.count({ where: { id: events[1]!.id } })).toBe(0);
    expect(await warren.db.stripeEvent.count({ where: { id: { in: [events[0]!.id, events[2]!.id] } } })).toBe(2);
  });

  it('When a raw-SQL write loses a unique race, then it is recognised as one (so the payment transaction is retried)', async () => {
    const insert = () => warren.db.$executeRaw`
      INSERT INTO "StripeEvent" ("id", "type", "outcome", "receivedAt") VALUES ('evt_raw_race', 'x', 'ignored', ${warren.clock.now()})`;
    await insert();
    const error = await insert().then(() => null, (failure: unknown) => failure);
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(new Error('something else'))).toBe(false);
  });
});

describe('A batch of events handled together', () => {
  withWarren();

  it('When one batch mixes new purchases with refunds and repeat buyers, then the end state is the one of handling them in turn', async () => {
    const second = await warren.db.thesis.create({
      data: { slug: 'batch-second', series: 'S', subject: 'Other Co', title: 'Second', tagline: 't', priceAmount: 7500, publicBody: '## Public',
        publishedAt: warren.clock.now(), createdAt: warren.clock.now(), updatedAt: warren.clock.now() },
    });
    const plain = await paidSession(warren, 'mix-plain@example.com');
    const collector = [await paidSession(warren, 'mix-collector@example.com'), await paidSession(warren, 'mix-collector@example.com', second.slug)];
    const twice = [await paidSession(warren, 'mix-twice@example.com'), await paidSession(warren, 'mix-twice@example.com')];
    // Paid twice too, but the first payment was refunded before its completion came: the second buys.
    const again = [await paidSession(warren, 'mix-again@example.com'), await paidSession(warren, 'mix-again@example.com')];
    await deliver(warren, 'charge.refunded', warren.stripe.charge(again[0]!, 'full')).expect(200);
    const refundedEarlier = await paidSession(warren, 'mix-early-refund@example.com');
    await deliver(warren, 'charge.refunded', warren.stripe.charge(refundedEarlier, 'full')).expect(200);
    const refundedAfter = await paidSession(warren, 'mix-refund-after@example.com');
    const refundedBefore = await paidSession(warren, 'mix-refund-before@example.com');
    const plainEvent = completed(plain);

    const outcomes = await inOneBatch([
      plainEvent,
      ...collector.map(completed),
      ...twice.map(completed),
      ...again.map(completed),
      completed(refundedEarlier),
      completed(refundedAfter),
      refunded(refundedAfter),
      refunded(refundedBefore),
      completed(refundedBefore),
      warren.stripe.event('customer.created', { id: 'cus_mix' }) as unknown as Stripe.Event,
      structuredClone(plainEvent),
    ]);

    expect(outcomes.map((outcome) => outcome.result)).toEqual([...Array(12).fill('processed'), 'ignored', 'duplicate']);
    expect(await standing(warren, 'mix-plain@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
    for (const email of ['mix-early-refund@example.com', 'mix-refund-after@example.com', 'mix-refund-before@example.com']) {
      expect({ email, ...(await standing(warren, email)) }).toEqual({ email, entitlement: 'revoked', purchases: ['refunded'] });
    }
    const collectorAccess = await warren.db.entitlement.findMany({ where: { user: { email: 'mix-collector@example.com' } }, select: { status: true } });
    expect(collectorAccess).toEqual([{ status: 'active' }, { status: 'active' }]);
    // Bought twice in one batch: one purchase; the second payment is a duplicate, queued for a refund and told so.
    expect(await standing(warren, 'mix-twice@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
    const access = await warren.db.entitlement.findFirstOrThrow({ where: { user: { email: 'mix-twice@example.com' } }, select: { purchase: { select: { checkoutSessionId: true } } } });
    expect(access.purchase?.checkoutSessionId).toBe(twice[0]!.id);
    expect(await warren.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: twice[1]!.id }, select: { status: true } })).toEqual({ status: 'duplicate' });
    expect(await warren.db.duplicateRefund.count({ where: { checkoutSessionId: twice[1]!.id, status: 'pending' } })).toBe(1);
    expect(await warren.db.outboxMessage.count({ where: { dedupeKey: { in: [`receipt:${twice[1]!.id}`, `duplicate-payment:${twice[1]!.id}`] } } })).toBe(1);
    // The refunded first payment left no access, so the second one bought it, as one batch later.
    const bothPaid = await standing(warren, 'mix-again@example.com');
    expect({ ...bothPaid, purchases: bothPaid.purchases.sort() }).toEqual({ entitlement: 'active', purchases: ['paid', 'refunded'] });
    expect(await warren.db.duplicateRefund.count({ where: { checkoutSessionId: { in: again.map((session) => session.id) } } })).toBe(0);
    for (const session of [plain, ...collector, twice[0]!, ...again, refundedEarlier, refundedAfter, refundedBefore]) {
      const attempt = await warren.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: session.id }, select: { status: true, user: { select: { email: true } } } });
      expect({ session: session.id, ...attempt }).toEqual({ session: session.id, status: 'fulfilled', user: { email: session.customer_details?.email } });
      expect(await warren.db.outboxMessage.count({ where: { dedupeKey: `receipt:${session.id}` } })).toBe(1);
    }
  });

  it('When a burst of purchases shares a batch, then it costs the statements of a single purchase', async () => {
    const counting = await openDatabase(warren.database.url, { schema: warren.database.schema, countQueries: true });
    try {
      const sessions = await Promise.all(Array.from({ length: 10 }, (_, n) => paidSession(warren, `budget-${n}@example.com`)));

      const single = await countStatements(() => inOneBatch([completed(sessions[0]!)], counting.prisma));
      const burst = await countStatements(() => inOneBatch(sessions.slice(1).map(completed), counting.prisma));

      expect(burst.result.map((outcome) => outcome.result)).toEqual(Array(9).fill('processed'));
      expect(single.statements).toBeGreaterThan(0);
      expect(burst.statements).toBe(single.statements);
      for (const session of sessions) expect(await effects(session.id)).toEqual(once);
    } finally {
      await counting.close();
    }
  });
});
