import type { Tx } from '../db/database.ts';
import { findOrCreateUsers } from '../accounts/users.repo.ts';
import { activeReaders, grantFromPurchases } from '../access/entitlements.repo.ts';
import { purchaseStatusFor } from '../access/standing.ts';
import { formatPrice } from '../http/money.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { lockPaymentState } from './payment-state.ts';
import { giftRefusedMail, queueDuplicateRefund } from './duplicate-payments.ts';

/** What one delivery attempt did. `waiting`: not due, not paid yet, or a dispute is open. */
export type GiftDelivery = { status: 'delivered'; recipientUserId: string } | { status: 'waiting' | 'cancelled' | 'refunded' | 'done' };

/**
 * Delivers one gift, inside the caller's transaction, exactly once: the recipient's account (created
 * as fulfilment creates a buyer's), the entitlement from the gift's purchase, and the gift e-mail with
 * a sign-in link minted at delivery for the recipient's account (only their inbox can use it).
 *
 * It first locks the payment's state as refunds and disputes do, so on PostgreSQL a refund and this
 * delivery run one after the other: a refunded or lost payment cancels the gift (never delivered), an
 * open dispute leaves it waiting. The claim is a conditional update (`deliveredAt` still null), so a
 * second instance, or the job after fulfilment delivered it, finds nothing to do. A recipient who came
 * to own the thesis meanwhile gets nothing: the payment goes back through the duplicate-refund path
 * and the payer is told.
 */
export async function deliverGift(tx: Tx, giftId: string, now: Date): Promise<GiftDelivery> {
  const gift = await tx.gift.findUnique({
    where: { id: giftId },
    select: {
      id: true,
      recipientEmail: true,
      message: true,
      deliverOn: true,
      deliveredAt: true,
      cancelledAt: true,
      buyer: { select: { email: true } },
      thesis: { select: { id: true, slug: true, title: true } },
      purchase: { select: { id: true, checkoutSessionId: true, userId: true, amount: true, currency: true, paymentIntentId: true, user: { select: { email: true } } } },
    },
  });
  if (!gift || gift.deliveredAt || gift.cancelledAt) return { status: 'done' };
  const { purchase, thesis } = gift;
  if (!purchase || gift.deliverOn > now) return { status: 'waiting' };
  const payment = purchase.paymentIntentId ? await lockPaymentState(tx, purchase.paymentIntentId, now) : null;
  const standing = purchaseStatusFor(payment);
  if (standing === 'disputed') return { status: 'waiting' };
  const open = { id: gift.id, deliveredAt: null, cancelledAt: null };
  if (standing !== 'paid') {
    await tx.gift.updateMany({ where: open, data: { cancelledAt: now } });
    return { status: 'cancelled' };
  }
  const pair = { email: gift.recipientEmail, thesisId: thesis.id };
  if ((await activeReaders(tx, [pair])).size > 0) {
    if ((await tx.gift.updateMany({ where: open, data: { cancelledAt: now } })).count === 0) return { status: 'done' };
    const { checkoutSessionId, paymentIntentId, userId, amount, currency } = purchase;
    const refunded = await queueDuplicateRefund(tx, { checkoutSessionId, paymentIntentId, userId, thesisId: thesis.id, amount, currency }, now);
    const data = { thesisTitle: thesis.title, recipientEmail: gift.recipientEmail, price: formatPrice(amount, currency), refunded };
    await enqueueMail(tx, giftRefusedMail(checkoutSessionId, purchase.user.email, data), now);
    return { status: 'refunded' };
  }
  if ((await tx.gift.updateMany({ where: open, data: { deliveredAt: now } })).count === 0) return { status: 'done' };
  const recipientUserId = (await findOrCreateUsers(tx, [{ email: gift.recipientEmail }], now)).get(gift.recipientEmail)!;
  await grantFromPurchases(tx, [{ id: purchase.id, userId: recipientUserId, thesisId: thesis.id }], now);
  await tx.gift.update({ where: { id: gift.id }, data: { recipientUserId } });
  await enqueueMail(
    tx,
    {
      dedupeKey: `gift:${gift.id}`,
      template: 'gift',
      recipient: gift.recipientEmail,
      data: { thesisTitle: thesis.title, from: gift.buyer?.email ?? null, message: gift.message },
      signInFor: { userId: recipientUserId, nextPath: `/theses/${thesis.slug}` },
    },
    now,
  );
  return { status: 'delivered', recipientUserId };
}
