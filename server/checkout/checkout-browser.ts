import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';

const NONCE_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** As long as a Checkout Session can stay open (Stripe's default expiry is 24 hours). */
const NONCE_LIFETIME_MS = 24 * 60 * 60 * 1000;

const hashNonce = (nonce: string) => createHash('sha256').update(nonce).digest('hex');

export interface CheckoutBrowser {
  /** Gives this browser a new nonce cookie and returns its hash for the attempt. */
  mark(res: Response): string;
  /** Whether this browser holds the nonce whose hash the attempt recorded. */
  started(req: Request, nonceHash: string | null): boolean;
}

/**
 * Ties a checkout to the browser that started it. The success URL (with its session id) can be
 * forwarded or planted in someone else's browser; only the browser holding this httpOnly nonce may
 * be signed in by it (login CSRF). Only the nonce's hash is stored, on the checkout attempt.
 */
export function checkoutBrowser({ secure }: { secure: boolean }): CheckoutBrowser {
  // The __Host- prefix (HTTPS only) stops a sibling subdomain from planting its own nonce.
  const name = secure ? '__Host-warren_checkout' : 'warren_checkout';
  // Lax: sent on the top-level GET back from Stripe's page to the success URL.
  const options: CookieOptions = { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: NONCE_LIFETIME_MS };
  const nonceOf = (req: Request): string | null => {
    const value: unknown = req.cookies?.[name];
    return typeof value === 'string' && NONCE_SHAPE.test(value) ? value : null;
  };
  return {
    // Always a new one: a nonce the browser brought may have been planted (a cookie set over plain HTTP).
    mark(res) {
      const nonce = randomBytes(32).toString('base64url');
      res.cookie(name, nonce, options);
      return hashNonce(nonce);
    },
    started(req, nonceHash) {
      const nonce = nonceOf(req);
      if (!nonce || !nonceHash) return false;
      const expected = Buffer.from(nonceHash, 'hex');
      const actual = Buffer.from(hashNonce(nonce), 'hex');
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
  };
}
