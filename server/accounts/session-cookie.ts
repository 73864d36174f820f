import type { CookieOptions, RequestHandler, Response } from 'express';
import type { SessionTokens } from './session-token.ts';
import type { SessionClaims, Viewer } from './viewer.ts';

export interface SessionCookie {
  /** Reads the cookie on every request into res.locals.viewer (null when absent, invalid, revoked or expired). */
  loadViewer: RequestHandler;
  /**
   * Opens a server-side session for this browser (ending the one it held). `unverifiedFor` and
   * `sessionVersion` (the version read when the sign-in was decided, so a change committed meanwhile
   * ends this session too): only for checkout/success-sign-in.ts.
   */
  signIn(res: Response, userId: string, options?: { unverifiedFor?: string; sessionVersion?: number }): Promise<void>;
  /** Revokes this browser's session on the server (a copy of the cookie reads nothing after) and clears the cookie. */
  signOut(res: Response): Promise<void>;
}

/** The server side of sessions (session-store.ts). */
export interface SessionStore {
  /** Whether a verified token still speaks for its account (see session-check.ts). */
  isCurrent(viewer: Viewer): Promise<boolean>;
  /** Records use; a later expiry (seconds) when the token should be re-issued, else null. */
  renew(viewer: Viewer): Promise<number | null>;
  /** Records a new session; its id, version and expiry (seconds). */
  open(userId: string, options: { unverified: boolean; sessionVersion?: number; userAgent?: string }): Promise<{ sessionId: string; sessionVersion: number; expiresAt: number }>;
  end(viewer: Viewer): Promise<void>;
}

export function createSessionCookie(tokens: SessionTokens, store: SessionStore, { secure, now }: { secure: boolean; now: () => Date }): SessionCookie {
  // The __Host- prefix (HTTPS only) stops a sibling subdomain from planting or overwriting the cookie.
  const name = secure ? '__Host-warren_session' : 'warren_session';
  // Lax keeps the cookie off cross-site POSTs (a first line against CSRF) yet sends it on link clicks.
  const options: CookieOptions = { httpOnly: true, sameSite: 'lax', secure, path: '/' };

  // Cookie, token and session row end together.
  function setCookie(res: Response, claims: SessionClaims, expiresAt: number): Viewer {
    const { token, viewer } = tokens.issue(claims, expiresAt);
    res.cookie(name, token, { ...options, maxAge: Math.max(0, expiresAt * 1000 - now().getTime()) });
    return viewer;
  }

  return {
    async loadViewer(req, res, next) {
      const token: unknown = req.cookies?.[name];
      const claims = typeof token === 'string' ? tokens.verify(token) : null;
      let viewer = claims && (await store.isCurrent(claims)) ? claims : null;
      if (viewer) {
        const renewedUntil = await store.renew(viewer);
        if (renewedUntil !== null) {
          const { expiresAt: _old, ...same } = viewer;
          viewer = setCookie(res, same, renewedUntil);
        }
      }
      res.locals.viewer = viewer;
      next();
    },
    async signIn(res, userId, { unverifiedFor, sessionVersion } = {}) {
      if (res.locals.viewer) await store.end(res.locals.viewer);
      const session = await store.open(userId, { unverified: unverifiedFor !== undefined, sessionVersion, userAgent: res.req.get('user-agent') });
      const claims: SessionClaims = { userId, sessionId: session.sessionId, sessionVersion: session.sessionVersion, ...(unverifiedFor && { unverifiedFor }) };
      res.locals.viewer = setCookie(res, claims, session.expiresAt);
    },
    async signOut(res) {
      if (res.locals.viewer) await store.end(res.locals.viewer);
      res.clearCookie(name, options);
      res.locals.viewer = null;
    },
  };
}
