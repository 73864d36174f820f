import type { Request, Response } from 'express';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { SessionCookie } from '../accounts/session-cookie.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { isAdmin } from '../admin/admin-gate.ts';
import type { CheckoutBrowser } from './checkout-browser.ts';
import { findBrowserNonceHash } from './checkout-attempts.ts';
import type { FulfilledPurchase } from './fulfilment.ts';

/**
 * What the success page did about signing in:
 * - `signed-in`: this browser already holds a session of the buyer's account;
 * - `other-account`: it holds another account's session, which stays (it is told, never switched);
 * - `unverified`: it started this checkout for a new account and got a day's session for this thesis;
 * - `check-inbox`: anything else; the receipt e-mail carries a sign-in link.
 */
export type SuccessSignIn = 'signed-in' | 'other-account' | 'unverified' | 'check-inbox';

export interface SuccessPageVisit {
  viewer: Viewer | null;
  buyer: { id: string; email: string; role: string; emailVerifiedAt: Date | null; createdByCheckoutSessionId: string | null };
  checkoutSessionId: string;
  thesisId: string;
  /** The browser holds the nonce of the browser that started this checkout (checkout-browser.ts). */
  startedInThisBrowser: boolean;
  adminEmails: readonly string[];
}

/**
 * The e-mail typed on Stripe's page proves nothing (anyone can type anyone's address), and the
 * success URL can be forwarded. So the page signs in only the browser that started the checkout,
 * never over an existing session (login CSRF), only into an account this very purchase created and
 * nobody has proven yet, never an admin's (account takeover for the price of a thesis).
 */
export function successSignInFor(visit: SuccessPageVisit): Exclude<SuccessSignIn, 'unverified'> | 'may-sign-in' {
  const { viewer, buyer } = visit;
  if (viewer) {
    if (viewer.userId !== buyer.id) return 'other-account';
    return viewer.unverifiedFor === undefined || viewer.unverifiedFor === visit.thesisId ? 'signed-in' : 'check-inbox';
  }
  if (!visit.startedInThisBrowser) return 'check-inbox';
  if (buyer.createdByCheckoutSessionId !== visit.checkoutSessionId || buyer.emailVerifiedAt !== null) return 'check-inbox';
  if (isAdmin(buyer, visit.adminEmails)) return 'check-inbox';
  return 'may-sign-in';
}

export interface SuccessSignInDeps {
  db: Db;
  clock: Clock;
  sessions: SessionCookie;
  browser: CheckoutBrowser;
  adminEmails: readonly string[];
}

/**
 * Applies successSignInFor to this request. An allowed sign-in happens once per purchase (a second
 * visit, even in the same browser, gets the inbox), with an unverified session: this thesis only,
 * 24 hours, no account changes, ended when the address's owner first signs in from the inbox.
 */
export async function signInFromSuccessPage(deps: SuccessSignInDeps, req: Request, res: Response, purchase: FulfilledPurchase, checkoutSessionId: string): Promise<SuccessSignIn> {
  const { db } = deps;
  const [buyer, nonceHash] = await Promise.all([
    db.user.findUniqueOrThrow({
      where: { id: purchase.userId },
      select: { id: true, email: true, role: true, emailVerifiedAt: true, createdByCheckoutSessionId: true, sessionVersion: true },
    }),
    findBrowserNonceHash(db, checkoutSessionId),
  ]);
  const decision = successSignInFor({
    viewer: res.locals.viewer ?? null,
    buyer,
    checkoutSessionId,
    thesisId: purchase.thesisId,
    startedInThisBrowser: deps.browser.started(req, nonceHash),
    adminEmails: deps.adminEmails,
  });
  if (decision !== 'may-sign-in') return decision;
  const { count } = await db.purchase.updateMany({
    where: { checkoutSessionId, successSignInAt: null },
    data: { successSignInAt: deps.clock.now() },
  });
  if (count !== 1) return 'check-inbox';
  // The version read with the checks: if the owner proved the address since, this session is born ended.
  await deps.sessions.signIn(res, buyer.id, { unverifiedFor: purchase.thesisId, sessionVersion: buyer.sessionVersion });
  return 'unverified';
}
