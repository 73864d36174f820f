import type { Clock } from '../clock.ts';
import { isUniqueViolation, type Db, type Tx } from '../db/database.ts';
import { normaliseEmail } from '../accounts/email-address.ts';
import { findOrCreateUsers } from '../accounts/users.repo.ts';
import { formatPrice } from '../http/money.ts';
import { enqueueMails, type OutgoingMail } from '../mail/outbox.ts';
import { saleNotices } from '../mail/sale-notices.ts';
import { accessNotice } from '../access/access-notices.ts';
import { raiseAdminAlert } from '../admin/admin-alerts.ts';
import { activeReaders, applyPaymentToPurchase, grantFromPurchases, readerKey } from '../access/entitlements.repo.ts';
import { purchaseStatusFor } from '../access/standing.ts';
import { findSessionRecords, markAttemptsFulfilled, markCheckoutAttempt, sessionMismatch, type CheckoutAttempt, type SessionRecords } from './checkout-attempts.ts';
import { lockPaymentStates } from './payment-state.ts';
import { insertPurchaseTaxLines, insertPurchases } from './purchases.repo.ts';
import { purchaseTaxColumns } from './purchase-tax-facts.ts';
import { issueReceipts } from '../receipts/issue-documents.ts';
import { recordDuplicatePayment, type RecordedDuplicate } from './duplicate-payments.ts';
import type { CheckoutSessionFacts } from './stripe-gateway.ts';
import { deliverGift } from './gift-delivery.ts';
import { reviewCopySpent, typedOfferCode } from './offer-redemptions.ts';

export interface FulfilmentDeps {
  db: Db;
  clock: Clock;
  adminEmails: readonly string[];
}

export interface FulfilledPurchase {
  id: string;
  userId: string;
  thesisId: string;
  thesisSlug: string;
  /** A gift delivered in this fulfilment (dated today): the recipient, whose access changed. */
  giftRecipientId?: string;
}

export type FulfilmentOutcome =
  | { status: 'fulfilled' | 'already-fulfilled'; purchase: FulfilledPurchase }
  /** Paid for a thesis the address could already read: no purchase, the payment is refunded. */
  | { status: 'duplicate'; duplicate: RecordedDuplicate }
  | { status: 'not-paid' }
  | { status: 'rejected'; reason: string };

async function refuse(tx: Tx, deps: FulfilmentDeps, facts: CheckoutSessionFacts, reason: string): Promise<FulfilmentOutcome> {
  const now = deps.clock.now();
  await markCheckoutAttempt(tx, facts.id, 'rejected', now);
  await raiseAdminAlert(
    tx,
    deps.adminEmails,
    { dedupeKey: `checkout-refused:${facts.id}`, kind: 'checkout session refused', detail: `${facts.id}: ${reason}` },
    now,
  );
  return { status: 'rejected', reason };
}

/** A session that passed every check: it becomes a purchase. */
interface Sale {
  facts: CheckoutSessionFacts;
  attempt: CheckoutAttempt;
  email: string;
  /** The offer whose promotion code the session carries: ours (the attempt's) or one typed on Stripe's page. */
  offerId: string | null;
}

/**
 * Turns one paid Checkout Session into exactly one purchase, one entitlement and one receipt e-mail,
 * inside the caller's transaction. Refunds or disputes that arrived before this completion are
 * applied at once (see payment-state.ts), so the end state does not depend on event order.
 */
export async function fulfilInTransaction(tx: Tx, deps: FulfilmentDeps, facts: CheckoutSessionFacts): Promise<FulfilmentOutcome> {
  return (await fulfilSessions(tx, deps, [facts]))[0]!;
}

/**
 * The same for several sessions at once (a batch of webhooks), with one statement per step for all of
 * them instead of one per session, and the same end state as fulfilling them in turn. The sessions,
 * and their payment intents, must be distinct: a repeated one fails on a unique key.
 */
export async function fulfilSessions(tx: Tx, deps: FulfilmentDeps, sessions: readonly CheckoutSessionFacts[]): Promise<FulfilmentOutcome[]> {
  const records = await findSessionRecords(tx, sessions.map((facts) => facts.id));
  const outcomes: FulfilmentOutcome[] = [];
  const sales: { index: number; sale: Sale }[] = [];
  const freeCopies = new Map<string, number>();
  for (const [index, facts] of sessions.entries()) {
    const checked = await checkSession(tx, deps, facts, records.get(facts.id)!, freeCopies);
    if ('outcome' in checked) outcomes[index] = checked.outcome;
    else sales.push({ index, sale: checked });
  }
  // Rounds, so that a second session for the same address and thesis in this batch is judged after
  // the first is recorded, as it would be one batch later: usually a duplicate, but a purchase if the
  // first one's payment was already refunded. Without such a repeat there is one round.
  let pending = sales;
  while (pending.length > 0) {
    const readers = await activeReaders(tx, pending.map(({ sale }) => readerOf(sale)));
    const round: typeof sales = [];
    const later: typeof sales = [];
    const inRound = new Set<string>();
    for (const entry of pending) {
      const key = readerKey(readerOf(entry.sale));
      // Already readable by that address (or found so before): not a second purchase, a refund.
      if (entry.sale.attempt.status === 'duplicate' || readers.has(key)) {
        outcomes[entry.index] = await duplicateOrDone(tx, deps, entry.sale);
      } else if (inRound.has(key)) later.push(entry);
      else {
        inRound.add(key);
        round.push(entry);
      }
    }
    const purchases = await recordSales(tx, deps, round.map(({ sale }) => sale));
    round.forEach(({ index }, n) => (outcomes[index] = { status: 'fulfilled', purchase: purchases[n]! }));
    pending = later;
  }
  return outcomes;
}

// Who would read the thesis: the payer, or a gift's recipient (from our Gift row, never from Stripe).
const readerOf = (sale: Sale) => ({ email: sale.attempt.gift?.recipientEmail ?? sale.email, thesisId: sale.attempt.thesis.id });

/**
 * A paid session whose address can already read the thesis is a duplicate payment, to be refunded,
 * unless that access is this very session's: another instance (the webhook, or the buyer's success
 * page) fulfilled it after this transaction read the session's records (on PostgreSQL each statement
 * reads afresh). Then it is done, and its payment, the buyer's only one, must not be refunded.
 */
async function duplicateOrDone(tx: Tx, deps: FulfilmentDeps, sale: Sale): Promise<FulfilmentOutcome> {
  const own = (await findSessionRecords(tx, [sale.facts.id])).get(sale.facts.id)!.purchase;
  if (own) return { status: 'already-fulfilled', purchase: own };
  return { status: 'duplicate', duplicate: await recordDuplicatePayment(tx, sale, deps.clock.now()) };
}

/** Whether a session becomes a sale; when not, what was done about it (refused, awaiting payment). */
async function checkSession(
  tx: Tx,
  deps: FulfilmentDeps,
  facts: CheckoutSessionFacts,
  records: SessionRecords,
  freeCopies: Map<string, number>,
): Promise<Sale | { outcome: FulfilmentOutcome }> {
  const { purchase: existing, attempt } = records;
  if (existing) return { outcome: { status: 'already-fulfilled', purchase: existing } };
  const problem = sessionMismatch(facts, attempt);
  if (problem || !attempt) return { outcome: await refuse(tx, deps, facts, problem ?? 'no attempt') };
  // A promotion code that takes the whole price leaves nothing to pay: that is a sale too.
  if (facts.paymentStatus !== 'paid' && facts.paymentStatus !== 'no_payment_required') {
    await markCheckoutAttempt(tx, facts.id, 'awaiting_payment', deps.clock.now());
    return { outcome: { status: 'not-paid' } };
  }
  const email = normaliseEmail(facts.email);
  if (!email) return { outcome: await refuse(tx, deps, facts, 'no usable e-mail on the session') };
  const offerId = attempt.offer?.id;
  if (offerId && (facts.amountTotal ?? 0) === 0) {
    const spent = await reviewCopySpent(tx, offerId, facts.id, freeCopies.get(offerId) ?? 0, deps.clock.now());
    if (spent) return { outcome: await refuse(tx, deps, facts, `nothing paid with the offer ${offerId}, which is ${spent} since the session was made`) };
    freeCopies.set(offerId, (freeCopies.get(offerId) ?? 0) + 1);
  }
  const typed = await typedOfferCode(tx, facts, attempt);
  if (typed && typed.thesisId !== attempt.thesisId) {
    return { outcome: await refuse(tx, deps, facts, `promotion code ${facts.promotionCode} is the offer ${typed.code}'s, for another thesis`) };
  }
  return { facts, attempt, email, offerId: attempt.offer?.id ?? typed?.id ?? null };
}

/** Purchases, entitlements, attempts marked fulfilled, receipts and sale notices for the sales. */
async function recordSales(tx: Tx, deps: FulfilmentDeps, sales: readonly Sale[]): Promise<FulfilledPurchase[]> {
  if (sales.length === 0) return [];
  const now = deps.clock.now();
  const intents = sales.flatMap(({ facts }) => (facts.paymentIntentId ? [{ paymentIntentId: facts.paymentIntentId }] : []));
  const payments = await lockPaymentStates(tx, intents, now);
  const users = await findOrCreateUsers(tx, sales.map((sale) => ({ email: sale.email, checkoutSessionId: sale.facts.id })), now);
  const paymentOf = (sale: Sale) => (sale.facts.paymentIntentId ? payments.get(sale.facts.paymentIntentId)! : null);
  const purchases = await insertPurchases(
    tx,
    sales.map((sale) => ({
      checkoutSessionId: sale.facts.id,
      userId: users.get(sale.email)!,
      thesisId: sale.attempt.thesis.id,
      amount: sale.facts.amountTotal ?? sale.attempt.amount,
      discountAmount: sale.facts.amountDiscount,
      promotionCode: sale.facts.promotionCode,
      taxAmount: sale.facts.amountTax,
      currency: sale.attempt.currency,
      paymentIntentId: sale.facts.paymentIntentId,
      status: purchaseStatusFor(paymentOf(sale)),
      createdAt: now,
      tax: purchaseTaxColumns(sale.facts, sale.attempt.taxBehavior),
      // Checked against the session's metadata and promotion code (sessionMismatch).
      offerId: sale.offerId,
    })),
  );
  await insertPurchaseTaxLines(tx, sales.map((sale, n) => ({ purchaseId: purchases[n]!.id, lines: sale.facts.taxLines ?? [] })));
  // A gift's purchase is the payer's; its entitlement is the recipient's, given on delivery (below).
  await grantFromPurchases(tx, purchases.filter((_, n) => !sales[n]!.attempt.gift), now);
  // A refund or dispute that overtook this completion applies now, and the buyer is told of it too.
  const notices: OutgoingMail[] = [];
  for (const [n, sale] of sales.entries()) {
    const payment = paymentOf(sale);
    const status = purchaseStatusFor(payment);
    if (!payment || status === 'paid') continue;
    const moved = await applyPaymentToPurchase(tx, purchases[n]!.id, payment, now);
    const notice = accessNotice(moved, { purchaseId: purchases[n]!.id, purchaseStatus: status, recipient: sale.email, thesis: sale.attempt.thesis }, now);
    if (notice) notices.push(notice);
  }
  await markAttemptsFulfilled(tx, sales.map((sale) => sale.facts.id), now);
  const gifts = await attachGifts(tx, sales, purchases, now);
  // Numbered in the purchases' own transaction, so a rollback returns the numbers (no gap), and as
  // late as it can be: on PostgreSQL the counter's row stays locked until the commit.
  const receiptNumbers = await issueReceipts(tx, purchases.map((purchase) => purchase.id), now);
  await enqueueMails(tx, [...sales.flatMap((sale, n) => saleMails(deps, sale, { purchaseId: purchases[n]!.id, receiptNumber: receiptNumbers[n]! }, users.get(sale.email)!, now, gifts.dates.get(n))), ...notices], now);
  return sales.map((sale, n) => ({ ...purchases[n]!, thesisSlug: sale.attempt.thesis.slug, ...(gifts.recipients.has(n) && { giftRecipientId: gifts.recipients.get(n) }) }));
}

/**
 * Ties each gift to its purchase and delivers at once those dated today (or earlier): the job
 * (gift-worker.ts) delivers the others on their date. Nothing is read when the sales hold no gift.
 */
async function attachGifts(tx: Tx, sales: readonly Sale[], purchases: readonly { id: string }[], now: Date) {
  const dates = new Map<number, string>();
  const recipients = new Map<number, string>();
  for (const [n, sale] of sales.entries()) {
    if (!sale.attempt.gift) continue;
    const gift = await tx.gift.update({ where: { id: sale.attempt.gift.id }, data: { purchaseId: purchases[n]!.id }, select: { deliverOn: true } });
    dates.set(n, gift.deliverOn.toISOString().slice(0, 10));
    const delivery = await deliverGift(tx, sale.attempt.gift.id, now);
    if (delivery.status === 'delivered') recipients.set(n, delivery.recipientUserId);
  }
  return { dates, recipients };
}

/** The buyer's receipt (with a sign-in link minted at delivery) and each administrator's sale notice. */
function saleMails(deps: FulfilmentDeps, sale: Sale, { purchaseId, receiptNumber }: { purchaseId: string; receiptNumber: string }, userId: string, now: Date, giftOn?: string): OutgoingMail[] {
  const { facts, attempt, email } = sale;
  const receipt = {
    thesisTitle: attempt.thesis.title,
    price: formatPrice(facts.amountTotal ?? attempt.amount, attempt.currency),
    purchasedOn: now.toISOString().slice(0, 10),
    reference: purchaseId,
    receiptNumber,
    ...(facts.amountTax > 0 && { tax: formatPrice(facts.amountTax, attempt.currency) }),
    // An offer or code that took the whole price: no payment was made, and the receipt must not claim one.
    ...(facts.amountTotal === 0 && { nothingCharged: true }),
    testMode: !attempt.livemode,
    ...(attempt.gift && { giftFor: attempt.gift.recipientEmail, giftOn }),
  };
  return [
    {
      dedupeKey: `receipt:${facts.id}`,
      template: 'receipt',
      recipient: email,
      data: receipt,
      // The payer of a gift reads nothing: their link leads to the gifts on their account page.
      signInFor: { userId, nextPath: attempt.gift ? '/account' : `/theses/${attempt.thesis.slug}` },
    },
    ...saleNotices(deps.adminEmails, { ...receipt, buyerEmail: email }),
  ];
}

/** Runs a unit of payment work in one transaction, once more if it lost a unique-constraint race. */
export async function inPaymentTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.$transaction(work);
  } catch (error) {
    // The webhook and the success page (or two deliveries) raced and the other committed first.
    if (isUniqueViolation(error)) return db.$transaction(work);
    throw error;
  }
}

/** Fulfilment in a transaction of its own: the success page and the reconciliation command. */
export function fulfilCheckoutSession(deps: FulfilmentDeps, facts: CheckoutSessionFacts): Promise<FulfilmentOutcome> {
  return inPaymentTransaction(deps.db, (tx) => fulfilInTransaction(tx, deps, facts));
}
