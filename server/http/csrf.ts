import { createHmac } from 'node:crypto';
import type { RequestHandler } from 'express';
import { doubleCsrf } from 'csrf-csrf';

/**
 * CSRF protection for every state-changing form: a signed double-submit token (csrf-csrf), bound to
 * the signed-in user when there is one. Pages ask for a token only when they render a form, so
 * public pages stay free of cookies and identical for every visitor.
 *
 * No exemption list here: a route whose POSTs are authenticated otherwise (a Stripe signature, the
 * signed token of a one-click unsubscribe) is mounted before `protect` (see app.ts), so it answers
 * before the check runs; every route mounted after it is protected.
 */
export function csrfProtection({ secret, secure }: { secret: string; secure: boolean }): {
  protect: RequestHandler;
  provideToken: RequestHandler;
} {
  const csrfSecret = createHmac('sha256', secret).update('warren:csrf').digest('hex');
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => csrfSecret,
    getSessionIdentifier: (req) => req.res?.locals.viewer?.userId ?? '',
    cookieName: secure ? '__Host-warren_csrf' : 'warren_csrf',
    cookieOptions: { sameSite: 'lax', secure, path: '/', httpOnly: true },
    getCsrfTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : req.get('x-csrf-token')),
    errorConfig: {
      statusCode: 403,
      message: 'This form has expired or did not come from this site. Go back, reload the page and try again.',
    },
  });
  return {
    protect: doubleCsrfProtection,
    // A function, not a value: templates call it (through the csrfField helper) only where a form is.
    // Memoised per request: a page with several forms must give them all the token its cookie matches.
    provideToken: (req, res, next) => {
      let token: string | undefined;
      res.locals.csrfToken = () => (token ??= generateCsrfToken(req, res));
      next();
    },
  };
}
