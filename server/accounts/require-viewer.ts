import type { RequestHandler } from 'express';
import { HttpError } from '../http/errors.ts';
import { isVerifiedViewer } from './viewer.ts';

/**
 * For pages that exist only for a signed-in person: never stored by any cache; anonymous GETs (and
 * HEADs) are sent to sign in and come back, anything else is refused.
 */
export const requireViewer: RequestHandler = (req, res, next) => {
  res.set('Cache-Control', 'private, no-store');
  if (res.locals.viewer) return next();
  if (req.method === 'GET' || req.method === 'HEAD') return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  throw new HttpError(401, 'Please sign in first.', 'Sign in required');
};

/**
 * For changes to an account: an unverified session (opened by the checkout success page from an
 * address typed on Stripe's page) may read what it paid for, never change the account it points to.
 */
export const requireVerifiedViewer: RequestHandler = (_req, res, next) => {
  if (isVerifiedViewer(res.locals.viewer)) return next();
  throw new HttpError(403, 'Please confirm your e-mail address first: use the sign-in link we e-mailed you, or ask for a new one.', 'Confirm your e-mail');
};
