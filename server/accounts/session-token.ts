import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { SessionClaims, Viewer } from './viewer.ts';

const ALGORITHM = 'HS256';
const ISSUER = 'warren';
const AUDIENCE = 'warren:session';
export const SESSION_LIFETIME_SECONDS = 30 * 24 * 60 * 60;
/** An unverified session (checkout/success-sign-in.ts) lasts a day: the receipt's link does the rest. */
export const UNVERIFIED_SESSION_LIFETIME_SECONDS = 24 * 60 * 60;

export const sessionLifetimeSeconds = (viewer: SessionClaims) => (viewer.unverifiedFor === undefined ? SESSION_LIFETIME_SECONDS : UNVERIFIED_SESSION_LIFETIME_SECONDS);

export interface SessionTokens {
  issue(claims: SessionClaims): { token: string; viewer: Viewer };
  /** null for anything not issued by us: bad signature, other algorithm (incl. "none"), expired, no exp. */
  verify(token: string): Viewer | null;
}

/** Tokens verified lately: a member's every request carries the same one (see verify). */
const VERIFIED_TOKENS_KEPT = 10_000;

export function createSessionTokens(secret: string, now: () => Date): SessionTokens {
  // A KeyObject made once verifies ~50x faster than a string secret (see shared/environment.md).
  const key: KeyObject = createSecretKey(Buffer.from(secret, 'utf8'));
  const nowSeconds = () => Math.floor(now().getTime() / 1000);
  const verified = new Map<string, Viewer>();

  function verifySignature(token: string): Viewer | null {
    try {
      const claims = jwt.verify(token, key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        clockTimestamp: nowSeconds(),
      });
      if (typeof claims !== 'object' || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
      if (!Number.isInteger(claims.sv)) return null;
      const viewer: Viewer = { userId: claims.sub, sessionVersion: claims.sv as number, expiresAt: claims.exp };
      if (claims.uvt !== undefined) {
        if (typeof claims.uvt !== 'string') return null;
        viewer.unverifiedFor = claims.uvt;
      }
      return viewer;
    } catch {
      return null;
    }
  }

  return {
    issue(claims) {
      const iat = nowSeconds();
      const viewer: Viewer = { ...claims, expiresAt: iat + sessionLifetimeSeconds(claims) };
      const token = jwt.sign({ iat, exp: viewer.expiresAt, sv: viewer.sessionVersion, uvt: viewer.unverifiedFor }, key, {
        algorithm: ALGORITHM,
        subject: viewer.userId,
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      return { token, viewer };
    },
    // A token's claims cannot change, so one that verified is remembered (the exact string, until its
    // expiry) and the signature is not checked again on every page: that check was the largest cost
    // of a members' request after rendering. Only valid tokens are kept; the oldest go first.
    verify(token) {
      const known = verified.get(token);
      if (known) {
        if (known.expiresAt > nowSeconds()) return known;
        verified.delete(token);
        return null;
      }
      const viewer = verifySignature(token);
      if (!viewer) return null;
      if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
      verified.set(token, viewer);
      return viewer;
    },
  };
}
