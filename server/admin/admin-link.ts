import type { RequestHandler } from 'express';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { createLookupCache } from '../cache/lookup-cache.ts';
import { isVerifiedViewer } from '../accounts/viewer.ts';
import { isAdmin } from './admin-gate.ts';

/**
 * Sets res.locals.viewerIsAdmin for the layout's "Admin" link. A convenience only: requireAdmin
 * still decides on every /admin request. Remembered per account so signed-in pages cost no query;
 * roles change only in the database by hand, so a promotion shows within the lifetime.
 */
export function markAdmins({ db, clock, adminEmails }: { db: Db; clock: Clock; adminEmails: readonly string[] }): RequestHandler {
  const admins = createLookupCache<boolean>({ clock, maxAgeMs: 5 * 60 * 1000, maxEntries: 50_000 });
  return async (_req, res, next) => {
    const viewer = res.locals.viewer;
    res.locals.viewerIsAdmin = isVerifiedViewer(viewer)
      ? await admins.get(viewer.userId, async () =>
          isAdmin(await db.user.findUnique({ where: { id: viewer.userId }, select: { email: true, role: true } }), adminEmails),
        )
      : false;
    next();
  };
}
