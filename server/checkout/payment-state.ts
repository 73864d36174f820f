import { Prisma, type Tx } from '../db/database.ts';
import { applyPaymentToPurchase } from '../access/entitlements.repo.ts';
import { disputeStatusFor, nextDisputeStatus, purchaseStatusFor, type PaymentFacts } from '../access/standing.ts';
import { accessNotice } from '../access/access-notices.ts';
import { enqueueMail } from '../mail/outbox.ts';
import type { DisputeFacts } from './stripe-gateway.ts';
import { adminRefundsCover } from './admin-refunds.repo.ts';
import { issueCreditNote } from '../receipts/issue-documents.ts';

/**
 * Reads (creating if needed) the state of one payment intent and locks its row for the rest of the
 * transaction: fulfilment and refund/dispute handlers both start here, so on PostgreSQL two of them
 * for the same payment run one after the other and the later one sees what the earlier one wrote.
 */
export async function lockPaymentState(tx: Tx, paymentIntentId: string, now: Date, chargeId?: string): Promise<PaymentFacts> {
  return (await lockPaymentStates(tx, [{ paymentIntentId, chargeId }], now)).get(paymentIntentId)!;
}

/**
 * The same for several payment intents in one statement (a batch of fulfilments), each once and in
 * sorted order, so transactions that share some lock them in the same order. Raw SQL: the native
 * upsert Prisma would send at a third of its cost; SQLite returns the boolean as 0/1.
 */
export async function lockPaymentStates(
  tx: Tx,
  payments: readonly { paymentIntentId: string; chargeId?: string }[],
  now: Date,
): Promise<Map<string, PaymentFacts>> {
  const byIntent = new Map(payments.map((payment) => [payment.paymentIntentId, payment.chargeId ?? null]));
  const result = new Map<string, PaymentFacts>();
  if (byIntent.size === 0) return result;
  const rows = [...byIntent.keys()].sort().map((id) => Prisma.sql`(${id}, ${byIntent.get(id)}, false, ${now})`);
  const states = await tx.$queryRaw<{ paymentIntentId: string; refunded: boolean | number; disputeStatus: string | null }[]>`
    INSERT INTO "PaymentState" ("paymentIntentId", "chargeId", "refunded", "updatedAt") VALUES ${Prisma.join(rows)}
    ON CONFLICT ("paymentIntentId") DO UPDATE SET "updatedAt" = excluded."updatedAt", "chargeId" = COALESCE(excluded."chargeId", "PaymentState"."chargeId")
    RETURNING "paymentIntentId", "refunded", "disputeStatus"`;
  for (const state of states) result.set(state.paymentIntentId, { refunded: Boolean(state.refunded), disputeStatus: state.disputeStatus });
  return result;
}

/** Whose access a payment change touched, and whether they were sent a notice; null when there is no purchase yet. */
export interface PaymentChange {
  /** The holder of the purchase's entitlement: the buyer, or a delivered gift's recipient. */
  buyerId: string;
  noticeQueued: boolean;
}

async function changePaymentState(
  tx: Tx,
  paymentIntentId: string,
  chargeId: string | undefined,
  now: Date,
  change: (current: PaymentFacts) => PaymentFacts,
  /** Whether the member hears of it from this change (an admin's refund tells them itself). */
  tellMember: (purchase: { id: string; amount: number }) => Promise<boolean> = async () => true,
): Promise<PaymentChange | null> {
  const next = change(await lockPaymentState(tx, paymentIntentId, now, chargeId));
  await tx.paymentState.update({ where: { paymentIntentId }, data: next });
  // No purchase yet (the refund overtook the completion): fulfilment will read this state.
  const purchase = await tx.purchase.findUnique({
    where: { paymentIntentId },
    select: {
      id: true,
      userId: true,
      amount: true,
      user: { select: { email: true } },
      thesis: { select: { title: true, slug: true } },
      entitlement: { select: { user: { select: { id: true, email: true } } } },
    },
  });
  if (!purchase) return null;
  const moved = await applyPaymentToPurchase(tx, purchase.id, next, now);
  // The reader is told: for a delivered gift, its recipient (the payer never had access).
  const reader = purchase.entitlement?.user ?? { id: purchase.userId, email: purchase.user.email };
  const target = { purchaseId: purchase.id, purchaseStatus: purchaseStatusFor(next), recipient: reader.email, thesis: purchase.thesis };
  const notice = accessNotice(moved, target, now);
  // A gift's recipient is not the payer, whom an admin's refund tells: they hear of it here.
  const told = notice !== null && (reader.id !== purchase.userId || (await tellMember(purchase)));
  // A gift not yet delivered whose payment is given back or lost is cancelled: never delivered.
  if (target.purchaseStatus === 'refunded' || target.purchaseStatus === 'dispute_lost') {
    await tx.gift.updateMany({ where: { purchaseId: purchase.id, deliveredAt: null, cancelledAt: null }, data: { cancelledAt: now } });
  }
  if (told) await enqueueMail(tx, notice, now);
  return { buyerId: reader.id, noticeQueued: told };
}

/**
 * `charge.refunded`: a full refund takes access away for good; a partial refund changes nothing. An
 * admin's refund (admin-refunds.ts) runs this too, at once, with `byAdmin`: it sends its own notice
 * (refund-notice, with the amount), so neither it nor the webhook that follows, or overtakes it,
 * sends access-revoked when the admin's refunds, pending or made, cover the whole purchase.
 */
export async function recordRefund(
  tx: Tx,
  charge: { chargeId: string | null; paymentIntentId: string; fullyRefunded: boolean; refunds?: readonly { id: string; amount: number }[] },
  now: Date,
  options: { byAdmin?: boolean } = {},
): Promise<PaymentChange | null> {
  const change = (current: PaymentFacts) => ({ ...current, refunded: current.refunded || charge.fullyRefunded });
  const tellMember = async (purchase: { id: string; amount: number }) => !options.byAdmin && !(await adminRefundsCover(tx, purchase));
  const changed = await changePaymentState(tx, charge.paymentIntentId, charge.chargeId ?? undefined, now, change, tellMember);
  // Under the payment's lock: each refund listed gets its credit note, once per refund id.
  if (changed && charge.refunds?.length) await creditRefunds(tx, charge.paymentIntentId, charge.refunds, now);
  return changed;
}

/**
 * Credit notes for refunds of a payment (on its receipt), in the order given; a refund that already
 * has one is skipped. The caller holds the payment's lock (`lockPaymentState`).
 */
export async function creditRefunds(tx: Tx, paymentIntentId: string, refunds: readonly { id: string; amount: number }[], now: Date): Promise<void> {
  const purchase = await tx.purchase.findUnique({ where: { paymentIntentId }, select: { id: true } });
  if (!purchase) return;
  for (const refund of refunds) await issueCreditNote(tx, { purchaseId: purchase.id, stripeRefundId: refund.id, amount: refund.amount }, now);
}

/** `charge.dispute.*`: open suspends access, won restores it, lost revokes it. */
export function recordDispute(tx: Tx, dispute: DisputeFacts & { paymentIntentId: string }, now: Date): Promise<PaymentChange | null> {
  return changePaymentState(tx, dispute.paymentIntentId, dispute.chargeId, now, (current) => ({
    ...current,
    disputeStatus: nextDisputeStatus(current.disputeStatus, disputeStatusFor(dispute.status)),
  }));
}
