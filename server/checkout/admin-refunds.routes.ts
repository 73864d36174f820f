import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { Platform } from '../ops/platform.ts';
import type { AccessCache } from '../access/access-cache.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { parseInput } from '../http/validate.ts';
import { formatPrice } from '../http/money.ts';
import type { PurchaseRefundsView } from '../admin/purchase-refunds.ts';
import { amountField, makeAdminRefund, planAdminRefund, retryAdminRefund, MAX_NOTE_LENGTH, type AdminRefundDeps, type RefundResult } from './admin-refunds.ts';
import { adminRefundsOf, findAdminRefund } from './admin-refunds.repo.ts';
import type { StripeGateway } from './stripe-gateway.ts';

type RefundRoutesDeps = Platform & { stripe: StripeGateway | null; access: AccessCache };

const uuid = z.uuid();
// Lengths are checked here only as far as a form can be trusted; planAdminRefund says what is wrong.
const refundForm = z.object({
  amount: z.string().max(64).optional(),
  reason: z.string().max(64).default(''),
  note: z.string().max(4 * MAX_NOTE_LENGTH).optional(),
  refundId: z.string().max(64).optional(),
  confirm: z.string().max(8).optional(),
});

const REASON_LABELS: Record<string, string> = { requested_by_customer: 'requested by the customer', duplicate: 'duplicate', fraudulent: 'fraudulent' };

const idOrNotFound = (value: unknown, message: string) => {
  const parsed = uuid.safeParse(value);
  if (!parsed.success) throw notFound(message);
  return parsed.data;
};

/**
 * POST /admin/members/:id/purchases/:purchaseId/refund: the form on the member's page asks, the
 * confirm page (which mints the refund's id) decides; see checkout/README.md, "Refunds from the admin".
 * Behind the admin gate and the CSRF check, as every /admin POST.
 */
export function adminRefundRoutes(deps: RefundRoutesDeps): Router {
  const { db, clock, logger, stripe, access, mailQueued } = deps;
  const router = Router();

  const refundDeps = (): AdminRefundDeps => {
    if (!stripe) throw new HttpError(503, 'Payments are not configured here, so nothing can be refunded.', 'Payments not configured');
    return { db, clock, logger, stripe };
  };
  const afterRefund = async (result: RefundResult) => {
    await access.accessChanged(result.buyerId);
    if (result.mailQueued) mailQueued();
  };

  router.post('/members/:id/purchases/:purchaseId/refund', async (req, res) => {
    const refunding = refundDeps();
    const memberId = idOrNotFound(req.params.id, 'There is no member with that id.');
    const purchaseId = idOrNotFound(req.params.purchaseId, 'This member has no purchase with that id.');
    const form = parseInput(refundForm, req.body);
    const confirmed = form.confirm === 'yes';
    const refundId = confirmed ? uuid.safeParse(form.refundId) : null;
    if (refundId && !refundId.success) throw badRequest("This confirmation is incomplete: open the refund from the member's page again.");
    // The confirmed form sent again (a double click, a reload): the refund it asked for exists; show how it went.
    const madeAlready = async () => {
      const existing = refundId?.data ? await findAdminRefund(db, refundId.data) : null;
      if (existing && existing.purchaseId !== purchaseId) throw badRequest('That refund belongs to another purchase.');
      return existing !== null;
    };
    const shown = () => res.redirect(303, `/admin/members/${memberId}?refund=${refundId!.data}`);
    if (await madeAlready()) return shown();
    // Sent twice at once, the other request may have made it (and so refunded the purchase) since the
    // check above: planning then refuses, but this is the same refund, not a new one.
    const plan = await planAdminRefund(db, memberId, purchaseId, form).catch(async (error: unknown) => {
      if (await madeAlready()) return null;
      throw error;
    });
    if (!plan) return shown();
    const { purchase } = plan;
    if (!refundId?.data) {
      const refunded = purchase.amount - plan.remaining;
      return res.render('admin/refund-confirm', {
        title: `Refund ${formatPrice(plan.amount, purchase.currency)}?`,
        memberId,
        email: purchase.user.email,
        thesisTitle: purchase.thesis.title,
        purchasedAt: purchase.createdAt,
        paid: formatPrice(purchase.amount, purchase.currency),
        refunded: refunded > 0 ? formatPrice(refunded, purchase.currency) : null,
        amount: formatPrice(plan.amount, purchase.currency),
        reason: REASON_LABELS[plan.reason],
        note: plan.note,
        full: plan.full,
        action: `/admin/members/${memberId}/purchases/${purchase.id}/refund`,
        fields: [
          { name: 'refundId', value: randomUUID() },
          { name: 'amount', value: amountField(plan.amount) },
          { name: 'reason', value: plan.reason },
          { name: 'note', value: plan.note },
        ],
      });
    }
    await afterRefund(await makeAdminRefund(refunding, plan, refundId.data, res.locals.admin.email as string));
    res.redirect(303, `/admin/members/${memberId}?refund=${refundId.data}`);
  });

  // Stripe did not answer (the refund may exist): the same idempotency key again settles it either way.
  router.post('/members/:id/refunds/:refundId/retry', async (req, res) => {
    const memberId = idOrNotFound(req.params.id, 'There is no member with that id.');
    const refundId = idOrNotFound(req.params.refundId, 'This member has no refund with that id.');
    await afterRefund(await retryAdminRefund(refundDeps(), memberId, refundId));
    res.redirect(303, `/admin/members/${memberId}?refund=${refundId}`);
  });

  return router;
}

/** Each purchase's refunds and what is left to refund, for the member's page (admin/members.routes.ts). */
export function purchaseRefundsView(db: RefundRoutesDeps['db'], paymentsConfigured: boolean): PurchaseRefundsView {
  return async (purchases) => {
    const rows = await adminRefundsOf(db, purchases.map((purchase) => purchase.id));
    return new Map(
      purchases.map((purchase) => {
        const refunds = rows.filter((row) => row.purchaseId === purchase.id);
        // As planAdminRefund counts: refunds made or under way.
        const taken = refunds.filter((row) => row.status !== 'failed').reduce((sum, row) => sum + row.amount, 0);
        const remaining = Math.max(0, purchase.amount - taken);
        const lines = refunds.map((row) => ({
          ...row,
          price: formatPrice(row.amount, row.currency),
          reasonLabel: REASON_LABELS[row.reason] ?? row.reason,
          pending: row.status === 'pending',
        }));
        const refundable = paymentsConfigured && purchase.paymentIntentId !== null && purchase.status !== 'refunded' && remaining > 0;
        return [purchase.id, { lines, refundable, remaining: formatPrice(remaining, purchase.currency), remainingField: amountField(remaining) }];
      }),
    );
  };
}
