import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Platform } from '../ops/platform.ts';
import type { AccessCache } from '../access/access-cache.ts';
import { notFound } from '../http/errors.ts';
import { parseInput } from '../http/validate.ts';
import { formatPrice } from '../http/money.ts';
import { grantComplimentary, revokeByAdmin } from '../access/entitlements.repo.ts';
import { adminRevokeNotice } from '../access/access-notices.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { toCsv } from './csv.ts';
import { noRefunds, type PurchaseRefundsView } from './purchase-refunds.ts';
import {
  allMembersForExport,
  allPurchasesForExport,
  findMember,
  listThesesForGrant,
  recentAlerts,
  searchMembers,
  thesisExists,
} from './members.repo.ts';

const searchQuery = z.object({ q: z.string().max(254).optional() });
const memberId = z.uuid();
const grantForm = z.object({ thesisId: z.uuid() });

function sendCsv(res: Response, filename: string, csv: string) {
  res.set('Content-Type', 'text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${filename}"`).send(csv);
}

/** /admin/members: who the members are, what they bought, and granting or revoking access by hand. */
export function membersAdminRoutes({
  db,
  clock,
  mailQueued,
  access,
  purchaseRefunds = noRefunds,
}: Platform & { access: AccessCache; purchaseRefunds?: PurchaseRefundsView }): Router {
  const router = Router();

  router.get('/members', async (req, res) => {
    const { q = '' } = parseInput(searchQuery, req.query);
    const [members, alerts] = await Promise.all([searchMembers(db, q.trim()), recentAlerts(db)]);
    res.render('admin/members', {
      title: 'Members',
      q,
      alerts,
      members: members.map((member) => ({ ...member, purchases: member._count.purchases, active: member.entitlements.length })),
    });
  });

  router.get('/members/export.csv', async (_req, res) => {
    const members = await allMembersForExport(db);
    const rows = members.map((member) => [
      member.email,
      member.createdAt,
      member.emailAlerts ? 'yes' : 'no',
      member.entitlements.filter((e) => e.status === 'active').map((e) => `${e.thesis.slug}${e.source === 'grant' ? ' (grant)' : ''}`).join(' '),
    ]);
    sendCsv(res, 'warren-members.csv', toCsv(['email', 'joined', 'email_alerts', 'active_theses'], rows));
  });

  router.get('/members/purchases.csv', async (_req, res) => {
    const purchases = await allPurchasesForExport(db);
    const rows = purchases.map((p) => [
      ...[p.id, p.createdAt, p.user.email, p.thesis.slug, (p.amount / 100).toFixed(2), p.currency.toUpperCase(), p.status, p.checkoutSessionId, p.paymentIntentId],
      ...[(p.discountAmount / 100).toFixed(2), p.promotionCode],
    ]);
    // The amount is what was paid; `discount` is what a promotion code took off the price.
    const columns = ['id', 'date', 'email', 'thesis', 'amount', 'currency', 'status', 'checkout_session', 'payment_intent', 'discount', 'promotion_code'];
    sendCsv(res, 'warren-purchases.csv', toCsv(columns, rows));
  });

  const loadMember = async (id: unknown) => {
    const parsed = memberId.safeParse(id);
    const member = parsed.success ? await findMember(db, parsed.data) : null;
    if (!member) throw notFound('There is no member with that id.');
    return member;
  };

  router.get('/members/:id', async (req, res) => {
    const [member, theses] = await Promise.all([loadMember(req.params.id), listThesesForGrant(db)]);
    const refunds = await purchaseRefunds(member.purchases);
    // After a refund: how it went, at the top of the page (a failure shows Stripe's message).
    const outcome = [...refunds.values()].flatMap((entry) => entry.lines).find((line) => line.id === req.query.refund);
    res.render('admin/member', {
      title: member.email,
      refundOutcome: outcome && { ...outcome, succeeded: outcome.status === 'succeeded', failed: outcome.status === 'failed' },
      member: {
        ...member,
        purchases: member.purchases.map((p) => ({
          ...p,
          price: formatPrice(p.amount, p.currency),
          discount: p.discountAmount > 0 ? formatPrice(p.discountAmount, p.currency) : null,
          currencyCode: p.currency.toUpperCase(),
          refunds: refunds.get(p.id),
          gift: p.gift && {
            ...p.gift,
            deliverOn: p.gift.deliverOn.toISOString().slice(0, 10),
            state: p.gift.deliveredAt ? 'delivered' : p.gift.cancelledAt ? 'cancelled' : 'pending',
          },
        })),
        entitlements: member.entitlements.map((e) => ({ ...e, active: e.status !== 'revoked', giftFrom: e.purchase?.gift ? e.purchase.user.email : null })),
      },
      theses,
    });
  });

  router.post('/members/:id/grant', async (req, res) => {
    const member = await loadMember(req.params.id);
    const { thesisId } = parseInput(grantForm, req.body);
    if (!(await thesisExists(db, thesisId))) throw notFound('There is no thesis with that id.');
    await grantComplimentary(db, member.id, thesisId, res.locals.admin.id, clock.now());
    await access.accessChanged(member.id);
    res.redirect(303, `/admin/members/${member.id}`);
  });

  router.post('/members/:id/entitlements/:entitlementId/revoke', async (req, res) => {
    const member = await loadMember(req.params.id);
    const entitlement = member.entitlements.find((e) => e.id === req.params.entitlementId);
    if (!entitlement) throw notFound('There is no such entitlement.');
    const now = clock.now();
    // Told once: revoking what is already revoked (a second click) changes nothing they could notice.
    const notice = entitlement.status === 'revoked' ? null : adminRevokeNotice(entitlement.id, entitlement.updatedAt, member.email, entitlement.thesis.title, now);
    const revoked = await db.$transaction(async (tx) => {
      if (!(await revokeByAdmin(tx, entitlement.id, now))) return false;
      if (notice) await enqueueMail(tx, notice, now);
      return true;
    });
    if (!revoked) throw notFound('There is no such entitlement.');
    await access.accessChanged(member.id);
    if (notice) mailQueued();
    res.redirect(303, `/admin/members/${member.id}`);
  });

  return router;
}
