import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import type { SessionClaims, Viewer } from './viewer.ts';

const ALGORITHM = 'HS256';
const ISSUER = 'warren';
const AUDIENCE = 'warren:session';

export interface SessionTokens {
  /** `expiresAt` in seconds since the epoch: the session's own expiry, so cookie, token and row agree. */
  issue(claims: SessionClaims, expiresAt: number): { token: string; viewer: Viewer };
  /** null for anything not issued by us: bad signature, other algorithm (incl. "none"), expired, no exp. */
  verify(token: string): Viewer | null;
}

/** Tokens verified lately: a member's every request carries the same one (see verify). */
const VERIFIED_TOKENS_KEPT = 10_000;

export function createSessionTokens(secret: string, now: () => Date): SessionTokens {
  // A KeyObject made once verifies ~50x faster than a string secret (see shared/environment.md).
  const key: KeyObject = createSecretKey(Buffer.from(secret, 'utf8'));
  const nowSeconds = () => Math.floor(now().getTime() / 1000);
  const verified = new LRUCache<string, Viewer>({ max: VERIFIED_TOKENS_KEPT });

  function verifySignature(token: string): Viewer | null {
    try {
      const claims = jwt.verify(token, key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        clockTimestamp: nowSeconds(),
      });
      if (typeof claims !== 'object' || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
      if (!Number.isInteger(claims.sv) || typeof claims.sid !== 'string') return null;
      const viewer: Viewer = { userId: claims.sub, sessionId: claims.sid, sessionVersion: claims.sv as number, expiresAt: claims.exp };
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
    issue(claims, expiresAt) {
      const iat = nowSeconds();
      const viewer: Viewer = { ...claims, expiresAt };
      const token = jwt.sign({ iat, exp: expiresAt, sid: viewer.sessionId, sv: viewer.sessionVersion, uvt: viewer.unverifiedFor }, key, {
        algorithm: ALGORITHM,
        subject: viewer.userId,
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      return { token, viewer };
    },
    // A token's claims cannot change, so one that verified is remembered (the exact string, until its
    // expiry) and the signature is not checked again on every page: that check was the largest cost
    // of a members' request after rendering. Only valid tokens are kept; the least recently used go first.
    verify(token) {
      const known = verified.get(token);
      if (known) {
        if (known.expiresAt > nowSeconds()) return known;
        verified.delete(token);
        return null;
      }
      const viewer = verifySignature(token);
      if (!viewer) return null;
      verified.set(token, viewer);
      return viewer;
    },
  };
}
