import type { CookieOptions, RequestHandler, Response } from 'express';
import type { SessionTokens } from './session-token.ts';
import { SESSION_LIFETIME_SECONDS } from './session-token.ts';
import type { Viewer } from './viewer.ts';

export interface SessionCookie {
  /** Reads the cookie on every request into res.locals.viewer (null when absent or invalid). */
  loadViewer: RequestHandler;
  signIn(res: Response, viewer: Viewer): void;
  signOut(res: Response): void;
}

export function createSessionCookie(tokens: SessionTokens, { secure }: { secure: boolean }): SessionCookie {
  // The __Host- prefix (HTTPS only) stops a sibling subdomain from planting or overwriting the cookie.
  const name = secure ? '__Host-warren_session' : 'warren_session';
  // Lax keeps the cookie off cross-site POSTs (a first line against CSRF) yet sends it on link clicks.
  const options: CookieOptions = { httpOnly: true, sameSite: 'lax', secure, path: '/' };
  return {
    loadViewer(req, res, next) {
      const token: unknown = req.cookies?.[name];
      res.locals.viewer = typeof token === 'string' ? tokens.verify(token) : null;
      next();
    },
    signIn(res, viewer) {
      res.cookie(name, tokens.issue(viewer), { ...options, maxAge: SESSION_LIFETIME_SECONDS * 1000 });
      res.locals.viewer = viewer;
    },
    signOut(res) {
      res.clearCookie(name, options);
      res.locals.viewer = null;
    },
  };
}
