import type Stripe from 'stripe';
import type { Logger } from 'pino';
import type { Tx } from '../db/database.ts';
import { fulfilInTransaction, inPaymentTransaction, type FulfilmentDeps } from './fulfilment.ts';
import { markCheckoutAttempt } from './checkout-attempts.ts';
import { recordDispute, recordRefund } from './payment-state.ts';
import { chargeFacts, checkoutSessionFacts, disputeFacts } from './stripe-gateway.ts';

export interface StripeEventDeps extends FulfilmentDeps {
  logger: Logger;
}

/** What handling an event did; `mailQueued` asks the mail worker to run once the transaction committed. */
interface Effect {
  mailQueued?: boolean;
}

type EventHandler = (tx: Tx, event: Stripe.Event) => Promise<Effect | void>;

function eventHandlers(deps: StripeEventDeps): Partial<Record<string, EventHandler>> {
  const { clock, logger } = deps;
  const session = (event: Stripe.Event) => checkoutSessionFacts(event.data.object as Stripe.Checkout.Session);

  const fulfil: EventHandler = async (tx, event) => {
    const outcome = await fulfilInTransaction(tx, deps, session(event));
    if (outcome.status === 'rejected') logger.error({ eventId: event.id, reason: outcome.reason }, 'checkout session refused');
    return { mailQueued: outcome.status === 'fulfilled' || outcome.status === 'rejected' };
  };
  const markAttempt = (status: string): EventHandler => (tx, event) => markCheckoutAttempt(tx, session(event).id, status, clock.now());
  const dispute: EventHandler = async (tx, event) => {
    const facts = disputeFacts(event.data.object as Stripe.Dispute);
    if (!facts.paymentIntentId) return void logger.warn({ eventId: event.id }, 'dispute without a payment intent ignored');
    await recordDispute(tx, { ...facts, paymentIntentId: facts.paymentIntentId }, clock.now());
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
      await recordRefund(tx, { ...facts, paymentIntentId: facts.paymentIntentId }, clock.now());
    },
    'charge.dispute.created': dispute,
    'charge.dispute.updated': dispute,
    'charge.dispute.closed': dispute,
  };
}

export const HANDLED_EVENT_TYPES = Object.freeze(Object.keys(eventHandlers({} as StripeEventDeps)));

export type EventOutcome = { result: 'processed' | 'ignored' | 'duplicate'; mailQueued: boolean };

/** Handles one verified event inside the caller's transaction (the webhook batches several per transaction). */
export type EventInTransaction = (tx: Tx, event: Stripe.Event) => Promise<EventOutcome>;

/**
 * Stores the event id unless it is there already, in one statement; false means a redelivery.
 * Written first: a concurrent delivery of the same event in another transaction waits for this one
 * (or fails on the unique id, and is retried) and then finds it.
 */
async function recordEventOnce(tx: Tx, event: Stripe.Event, outcome: 'processed' | 'ignored', receivedAt: Date): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "StripeEvent" ("id", "type", "outcome", "receivedAt") VALUES (${event.id}, ${event.type}, ${outcome}, ${receivedAt})
    ON CONFLICT ("id") DO NOTHING`;
  return inserted === 1;
}

/**
 * Handles one verified Stripe event exactly once: the event id is stored in the same transaction as
 * the work it causes, so a redelivery (or the reconciliation command) finds it and does nothing,
 * and a failure midway leaves no trace, so Stripe's retry does the whole work again.
 */
export function createStripeEventHandler(deps: StripeEventDeps): EventInTransaction {
  const handlers = eventHandlers(deps);
  return async (tx, event) => {
    const handler = handlers[event.type];
    if (!(await recordEventOnce(tx, event, handler ? 'processed' : 'ignored', deps.clock.now()))) return { result: 'duplicate', mailQueued: false };
    // Unknown types are recorded and acknowledged: Stripe would otherwise retry them for days.
    if (!handler) return { result: 'ignored', mailQueued: false };
    const effect = (await handler(tx, event)) ?? {};
    return { result: 'processed', mailQueued: effect.mailQueued === true };
  };
}

/** The same, each event in a transaction of its own (retried once after a lost unique-constraint race). */
export function createStripeEventProcessor(deps: StripeEventDeps): (event: Stripe.Event) => Promise<EventOutcome> {
  const handle = createStripeEventHandler(deps);
  return (event) => inPaymentTransaction(deps.db, (tx) => handle(tx, event));
}
