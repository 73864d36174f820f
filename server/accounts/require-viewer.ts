import type { RequestHandler } from 'express';
import { HttpError } from '../http/errors.ts';

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
