import type { CookieOptions, RequestHandler, Response } from 'express';
import type { SessionTokens } from './session-token.ts';
import { sessionLifetimeSeconds } from './session-token.ts';
import type { SessionClaims, Viewer } from './viewer.ts';

export interface SessionCookie {
  /** Reads the cookie on every request into res.locals.viewer (null when absent, invalid or outdated). */
  loadViewer: RequestHandler;
  /**
   * `unverifiedFor` and `sessionVersion` (the version read when the sign-in was decided, so a change
   * committed meanwhile ends this session too): only for checkout/success-sign-in.ts.
   */
  signIn(res: Response, userId: string, options?: { unverifiedFor?: string; sessionVersion?: number }): Promise<void>;
  signOut(res: Response): void;
}

export interface SessionStore {
  /** Whether a verified token still speaks for its account (see session-check.ts). */
  isCurrent(viewer: Viewer): Promise<boolean>;
  sessionVersionOf(userId: string): Promise<number>;
}

export function createSessionCookie(tokens: SessionTokens, store: SessionStore, { secure }: { secure: boolean }): SessionCookie {
  // The __Host- prefix (HTTPS only) stops a sibling subdomain from planting or overwriting the cookie.
  const name = secure ? '__Host-warren_session' : 'warren_session';
  // Lax keeps the cookie off cross-site POSTs (a first line against CSRF) yet sends it on link clicks.
  const options: CookieOptions = { httpOnly: true, sameSite: 'lax', secure, path: '/' };
  return {
    async loadViewer(req, res, next) {
      const token: unknown = req.cookies?.[name];
      const claims = typeof token === 'string' ? tokens.verify(token) : null;
      res.locals.viewer = claims && (await store.isCurrent(claims)) ? claims : null;
      next();
    },
    async signIn(res, userId, { unverifiedFor, sessionVersion } = {}) {
      const claims: SessionClaims = { userId, sessionVersion: sessionVersion ?? (await store.sessionVersionOf(userId)), ...(unverifiedFor && { unverifiedFor }) };
      const { token, viewer } = tokens.issue(claims);
      // Cookie and token end together.
      res.cookie(name, token, { ...options, maxAge: sessionLifetimeSeconds(claims) * 1000 });
      res.locals.viewer = viewer;
    },
    signOut(res) {
      res.clearCookie(name, options);
      res.locals.viewer = null;
    },
  };
}
