import type { RequestHandler } from 'express';
import type { Db } from '../db/database.ts';
import { HttpError } from '../http/errors.ts';
import { isVerifiedViewer } from '../accounts/viewer.ts';

export interface AdminCandidate {
  email: string;
  role: string;
}

/** Who may use /admin: people named in ADMIN_EMAILS, and people an admin promoted. */
export function isAdmin(user: AdminCandidate | null, adminEmails: readonly string[]): boolean {
  return user !== null && (user.role === 'admin' || adminEmails.includes(user.email));
}

/**
 * Runs before every /admin route, on the server, whatever the client shows: anonymous people are
 * sent to sign in (or refused, for non-GET requests), signed-in non-admins are refused. A session
 * not opened by a link from the inbox (the checkout success page's) counts as nobody's here.
 */
export function requireAdmin(db: Db, adminEmails: readonly string[]): RequestHandler {
  return async (req, res, next) => {
    res.set('Cache-Control', 'private, no-store');
    const viewer = res.locals.viewer;
    if (!isVerifiedViewer(viewer)) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      }
      throw new HttpError(401, 'Please sign in as an administrator first.', 'Sign in required');
    }
    const user = await db.user.findUnique({ where: { id: viewer.userId }, select: { id: true, email: true, role: true } });
    if (!isAdmin(user, adminEmails)) throw new HttpError(403, 'This area is for the publisher only.', 'Not allowed');
    res.locals.admin = user;
    next();
  };
}
