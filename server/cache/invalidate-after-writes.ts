import type { RequestHandler } from 'express';
import onHeaders from 'on-headers';
import type { AppCaches } from './app-caches.ts';

/**
 * Every successful write that can change what the caches hold drops them, just before its answer
 * leaves (so the writer's next request already sees the change), whichever route made it:
 * - /admin: theses, signals, members' access (the publisher's area);
 * - /webhooks/stripe and /account: someone's access (purchases, refunds, disputes, sign-out everywhere).
 * Routes added there later are covered without remembering a hook. The success page, a GET that
 * can fulfil a purchase, calls accessChanged itself.
 */
export function invalidateAfterWrites(caches: AppCaches): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const path = req.path.toLowerCase();
    const content = path.startsWith('/admin/');
    const access = content || path.startsWith('/webhooks/') || path.startsWith('/account/');
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
