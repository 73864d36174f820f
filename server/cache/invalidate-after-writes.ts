import type { RequestHandler } from 'express';
import onHeaders from 'on-headers';
import type { AppCaches } from './app-caches.ts';

/**
 * Every successful write that can change what the caches hold drops them, just before its answer
 * leaves (so the writer's next request already sees the change), whichever route made it:
 * - /admin: theses, signals, members' access (the publisher's area);
 * - /account: someone's access (sign-out everywhere).
 * Routes added there later are covered without remembering a hook. The Stripe webhook (a burst of
 * purchases must not empty everyone's cached access) and the success page, a GET that can fulfil a
 * purchase, call accessChanged themselves for the members concerned.
 */
export function invalidateAfterWrites(caches: AppCaches): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const path = req.path.toLowerCase();
    const content = path.startsWith('/admin/');
    const access = content || path.startsWith('/account/');
    if (access) {
      onHeaders(res, () => {
        if (res.statusCode >= 400) return;
        if (content) void caches.contentChanged();
        void caches.accessChanged();
      });
    }
    next();
  };
}
