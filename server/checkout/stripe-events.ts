import type Stripe from 'stripe';
import type { Logger } from 'pino';
import { Prisma, type Tx } from '../db/database.ts';
import { fulfilInTransaction, fulfilSessions, inPaymentTransaction, type FulfilmentDeps, type FulfilmentOutcome } from './fulfilment.ts';
import { markCheckoutAttempt } from './checkout-attempts.ts';
import { creditRefunds, lockPaymentState, recordDispute, recordRefund, type PaymentChange } from './payment-state.ts';
import { chargeFacts, checkoutSessionFacts, disputeFacts, refundFacts } from './stripe-gateway.ts';

export interface StripeEventDeps extends FulfilmentDeps {
  logger: Logger;
}

/**
 * What handling an event did, acted on once the transaction committed: `mailQueued` wakes the mail
 * worker; `accessChangedFor` names the members whose cached access must be dropped.
 */
interface Effect {
  mailQueued?: boolean;
  accessChangedFor?: string[];
}

type EventHandler = (tx: Tx, event: Stripe.Event) => Promise<Effect | void>;

const sessionOf = (event: Stripe.Event) => checkoutSessionFacts(event.data.object as Stripe.Checkout.Session);

/** What fulfilling a session did, for the event that asked: a refusal is logged, and mails the admins. */
function fulfilmentEffect(logger: Logger, event: Stripe.Event, outcome: FulfilmentOutcome): Effect {
  if (outcome.status === 'rejected') logger.error({ eventId: event.id, reason: outcome.reason }, 'checkout session refused');
  return {
    mailQueued: outcome.status === 'fulfilled' || outcome.status === 'rejected' || outcome.status === 'duplicate',
    accessChangedFor: outcome.status === 'fulfilled' ? [outcome.purchase.userId, ...(outcome.purchase.giftRecipientId ? [outcome.purchase.giftRecipientId] : [])] : [],
  };
}

/** A payment change reaches its buyer's access (and mailbox) only once the purchase exists. */
const accessOf = (change: PaymentChange | null): Effect => ({ accessChangedFor: change ? [change.buyerId] : [], mailQueued: change?.noticeQueued });

function eventHandlers(deps: StripeEventDeps): Partial<Record<string, EventHandler>> {
  const { clock, logger } = deps;
  const fulfil: EventHandler = async (tx, event) => fulfilmentEffect(logger, event, await fulfilInTransaction(tx, deps, sessionOf(event)));
  const markAttempt = (status: string): EventHandler => (tx, event) => markCheckoutAttempt(tx, sessionOf(event).id, status, clock.now());
  const dispute: EventHandler = async (tx, event) => {
    const facts = disputeFacts(event.data.object as Stripe.Dispute);
    if (!facts.paymentIntentId) return void logger.warn({ eventId: event.id }, 'dispute without a payment intent ignored');
    return accessOf(await recordDispute(tx, { ...facts, paymentIntentId: facts.paymentIntentId }, clock.now()));
  };
  // Any refund, also one made in Stripe's dashboard (whose charge.refunded lists no refunds on current
  // API versions): its credit note on the receipt, once per refund id. Access is charge.refunded's.
  const creditNote: EventHandler = async (tx, event) => {
    const facts = refundFacts(event.data.object as Stripe.Refund);
    if (!facts.succeeded || !facts.paymentIntentId) return;
    await lockPaymentState(tx, facts.paymentIntentId, clock.now());
    await creditRefunds(tx, facts.paymentIntentId, [{ id: facts.refundId, amount: facts.amount }], clock.now());
  };

  return {
    // Paid at once, or `payment_status: unpaid` for delayed methods (then the attempt awaits payment).
    'checkout.session.completed': fulfil,
    'checkout.session.async_payment_succeeded': fulfil,
    'checkout.session.async_payment_failed': markAttempt('failed'),
    'checkout.session.expired': markAttempt('expired'),
    'charge.refunded': async (tx, event) => {
      const facts = chargeFacts(event.data.object as Stripe.Charge);
      if (!facts.paymentIntentId) return void logger.warn({ eventId: event.id }, 'refund without a payment intent ignored');
      return accessOf(await recordRefund(tx, { ...facts, paymentIntentId: facts.paymentIntentId }, clock.now()));
    },
    'refund.created': creditNote,
    'refund.updated': creditNote,
    'charge.dispute.created': dispute,
    'charge.dispute.updated': dispute,
    'charge.dispute.closed': dispute,
  };
}

export const HANDLED_EVENT_TYPES = Object.freeze(Object.keys(eventHandlers({} as StripeEventDeps)));

export interface EventOutcome {
  result: 'processed' | 'ignored' | 'duplicate';
  mailQueued: boolean;
  /** Members whose access the event may have changed (caches drop what they hold of them). */
  accessChangedFor: readonly string[];
}

/** Handles verified events, in order, inside the caller's transaction (the webhook batches several per transaction). */
export type EventsInTransaction = (tx: Tx, events: readonly Stripe.Event[]) => Promise<EventOutcome[]>;

const DUPLICATE: EventOutcome = { result: 'duplicate', mailQueued: false, accessChangedFor: [] };
const IGNORED: EventOutcome = { result: 'ignored', mailQueued: false, accessChangedFor: [] };
const FULFILLING = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

/**
 * Stores the ids of events not seen before, in one statement, and tells which are new; an event
 * repeated in the list is new only the first time. Written first: a concurrent delivery of the same
 * event in another transaction waits for this one (or fails on the unique id, and is retried) and
 * then finds it.
 */
async function recordEventsOnce(tx: Tx, events: readonly Stripe.Event[], outcomeOf: (event: Stripe.Event) => string, receivedAt: Date): Promise<boolean[]> {
  const distinct = new Map(events.map((event) => [event.id, event]));
  const rows = [...distinct.values()].map((event) => Prisma.sql`(${event.id}, ${event.type}, ${outcomeOf(event)}, ${receivedAt})`);
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "StripeEvent" ("id", "type", "outcome", "receivedAt") VALUES ${Prisma.join(rows)}
    ON CONFLICT ("id") DO NOTHING RETURNING "id"`;
  const fresh = new Set(inserted.map((row) => row.id));
  return events.map((event) => fresh.delete(event.id));
}

/** The records an event acts on: its object (session, charge or dispute) and that object's payment intent. */
function recordsNamedBy(event: Stripe.Event): string[] {
  const object = event.data.object as { id?: string; payment_intent?: string | { id: string } | null };
  const intent = typeof object.payment_intent === 'string' ? object.payment_intent : object.payment_intent?.id;
  return [object.id, intent].filter((id): id is string => Boolean(id));
}

/**
 * Handles verified Stripe events exactly once: each event id is stored in the same transaction as
 * the work it causes, so a redelivery (or the reconciliation command) finds it and does nothing,
 * and a failure midway leaves no trace, so Stripe's retry does the whole work again.
 *
 * Fulfilments that no other event of the list touches (same session or payment intent) share their
 * statements (fulfilSessions: a burst of purchases costs a few statements, not a few per event); the
 * rest run one by one, in order. Events on different records do not depend on each other, so the end
 * state is the one of handling the list in turn.
 */
export function createStripeEventHandler(deps: StripeEventDeps): EventsInTransaction {
  const handlers = eventHandlers(deps);
  return async (tx, events) => {
    if (events.length === 0) return [];
    // Unknown types are recorded and acknowledged: Stripe would otherwise retry them for days.
    const recorded = await recordEventsOnce(tx, events, (event) => (handlers[event.type] ? 'processed' : 'ignored'), deps.clock.now());
    const outcomes = events.map((_, index) => (recorded[index] ? IGNORED : DUPLICATE));
    const handled = events.flatMap((event, index) => (recorded[index] && handlers[event.type] ? [{ event, index }] : []));
    const named = new Map<string, number>();
    for (const id of handled.flatMap(({ event }) => recordsNamedBy(event))) named.set(id, (named.get(id) ?? 0) + 1);
    const together = handled.filter(({ event }) => FULFILLING.has(event.type) && recordsNamedBy(event).every((id) => named.get(id) === 1));
    const fulfilled = await fulfilSessions(tx, deps, together.map(({ event }) => sessionOf(event)));
    together.forEach(({ event, index }, n) => (outcomes[index] = processed(fulfilmentEffect(deps.logger, event, fulfilled[n]!))));
    const shared = new Set(together);
    for (const { event, index } of handled.filter((entry) => !shared.has(entry))) {
      outcomes[index] = processed((await handlers[event.type]!(tx, event)) ?? {});
    }
    return outcomes;
  };
}

const processed = (effect: Effect): EventOutcome => ({ result: 'processed', mailQueued: effect.mailQueued === true, accessChangedFor: effect.accessChangedFor ?? [] });

/** One event in a transaction of its own (retried once after a lost unique-constraint race). */
export function createStripeEventProcessor(deps: StripeEventDeps): (event: Stripe.Event) => Promise<EventOutcome> {
  const handle = createStripeEventHandler(deps);
  return async (event) => (await inPaymentTransaction(deps.db, (tx) => handle(tx, [event])))[0]!;
}
