import { Router } from 'express';
import { z } from 'zod';
import type { Platform } from '../ops/platform.ts';
import type { SessionCaches } from './session-caches.ts';
import { notFound } from '../http/errors.ts';
import { parseInput } from '../http/validate.ts';
import { createRateLimits } from '../http/rate-limits.ts';
import { formatPrice } from '../http/money.ts';
import type { SessionCookie } from './session-cookie.ts';
import { requireVerifiedViewer, requireViewer } from './require-viewer.ts';
import { isVerifiedViewer, type Viewer } from './viewer.ts';
import { listLiveSessions, revokeAllSessions, revokeSession } from './sessions.repo.ts';
import { requestSignInMail } from './sign-in-request.ts';
import { signInRequestAnswer } from './sign-in-request-answer.ts';
import { findUserById } from './users.repo.ts';
import { findPurchaseOf, listGiftsSent, listPurchasesOf, paidInTestMode, listReadableTheses, setEmailAlerts, type AccountScope } from './account.repo.ts';
import { alertPreferenceRoutes, thesisAlertChoices } from './alert-preference.routes.ts';

const STATUS_LABELS: Record<string, string> = {
  paid: 'Paid',
  disputed: 'Disputed (access paused)',
  refunded: 'Refunded',
  dispute_lost: 'Charged back',
};

const alertsForm = z.object({ emailAlerts: z.literal('yes').optional() });
const purchaseId = z.uuid();
const sessionId = z.uuid();

// An unverified session sees only the thesis it was opened for: not the address, nor any purchase (the
// browser that started a checkout may not be the one that paid it).
const scopeOf = (viewer: Viewer): AccountScope => ({ userId: viewer.userId, thesisId: viewer.unverifiedFor });

type PurchaseRow = Awaited<ReturnType<typeof listPurchasesOf>>[number];
const purchaseView = (purchase: PurchaseRow) => ({
  ...purchase,
  price: formatPrice(purchase.amount, purchase.currency),
  tax: purchase.taxAmount > 0 ? formatPrice(purchase.taxAmount, purchase.currency) : null,
  statusLabel: STATUS_LABELS[purchase.status] ?? purchase.status,
});

type GiftRow = Awaited<ReturnType<typeof listGiftsSent>>[number];
const giftView = (gift: GiftRow) => ({
  ...gift,
  deliverOn: gift.deliverOn.toISOString().slice(0, 10),
  stateLabel: gift.deliveredAt ? 'Delivered' : gift.cancelledAt ? 'Cancelled (not delivered)' : 'Pending',
});

/** /account: what the member bought, receipts, alert preferences, and their sessions. */
export function accountAreaRoutes(deps: Platform & { sessions: SessionCaches }, sessions: SessionCookie): Router {
  const { db, clock } = deps;
  const router = Router();
  const limits = createRateLimits(deps);
  const answerSignInRequest = signInRequestAnswer(deps);
  router.use('/account', requireViewer);

  router.get('/account', async (req, res) => {
    const viewer: Viewer = res.locals.viewer;
    const verified = isVerifiedViewer(viewer);
    const [user, theses, purchases, signedIn, gifts] = await Promise.all([
      findUserById(db, viewer.userId),
      listReadableTheses(db, scopeOf(viewer)),
      verified ? listPurchasesOf(db, viewer.userId) : [],
      verified ? listLiveSessions(db, viewer.userId, clock.now()) : [],
      verified ? listGiftsSent(db, viewer.userId) : [],
    ]);
    if (!user) throw notFound();
    const alertChoices = verified ? await thesisAlertChoices(db, viewer.userId, theses.map(({ thesis }) => thesis.id)) : [];
    res.render('account', {
      title: 'Your account',
      user,
      verified,
      theses: theses.map(({ source, thesis, purchase }, n) => ({
        ...thesis,
        complimentary: source === 'grant',
        gift: purchase?.gift ? { from: purchase.gift.buyer?.email ?? null } : null,
        alertChoices: alertChoices[n],
      })),
      giftsSent: gifts.map(giftView),
      purchases: purchases.map(purchaseView), saved: req.query.saved === 'alerts',
      sessions: signedIn.map((session) => ({ ...session, thisBrowser: session.id === viewer.sessionId })),
      sessionEnded: req.query.saved === 'session',
    });
  });

  router.get('/account/purchases/:id', requireVerifiedViewer, async (req, res) => {
    const id = purchaseId.safeParse(req.params.id);
    const purchase = id.success ? await findPurchaseOf(db, res.locals.viewer.userId, id.data) : null;
    if (!purchase) throw notFound('We could not find that purchase in your account.');
    const [user, testMode] = await Promise.all([findUserById(db, res.locals.viewer.userId), paidInTestMode(db, purchase.checkoutSessionId)]);
    res.render('receipt', { title: 'Receipt', purchase: purchaseView(purchase), email: user?.email, testMode });
  });

  router.post('/account/alerts', requireVerifiedViewer, async (req, res) => {
    const form = parseInput(alertsForm, req.body);
    await setEmailAlerts(db, res.locals.viewer.userId, form.emailAlerts === 'yes');
    res.redirect(303, '/account?saved=alerts');
  });

  router.use(alertPreferenceRoutes(deps));

  // Every JWT issued before now stops working on its next request, here and on every other device.
  router.post('/account/sign-out-everywhere', requireVerifiedViewer, async (_req, res) => {
    const { userId } = res.locals.viewer;
    await revokeAllSessions(db, userId, clock.now());
    await deps.sessions.sessionsEnded(userId);
    await sessions.signOut(res);
    res.redirect(303, '/login?next=%2Faccount');
  });

  // One session of one's own, from the list: another member's id (or a made-up one) ends nothing.
  router.post('/account/sessions/:id/sign-out', requireVerifiedViewer, async (req, res) => {
    const viewer: Viewer = res.locals.viewer;
    const id = sessionId.safeParse(req.params.id);
    if (!id.success || !(await revokeSession(db, viewer.userId, id.data, clock.now()))) {
      throw notFound('We could not find that session among yours: it may have ended already.');
    }
    await deps.sessions.sessionsEnded(viewer.userId, id.data);
    if (id.data !== viewer.sessionId) return res.redirect(303, '/account?saved=session');
    await sessions.signOut(res);
    res.redirect(303, '/login?next=%2Faccount');
  });

  // Allowed to an unverified session too: the link goes to the address's inbox, where it proves it.
  router.post('/account/sign-in-link', limits.signInRequestsPerIp(), limits.signInRequestsPerAccount(), async (_req, res) => {
    const user = await findUserById(db, res.locals.viewer.userId);
    if (!user) throw notFound();
    answerSignInRequest(res, await requestSignInMail(db, user.email, '/account', clock.now()), user.email);
  });

  return router;
}
