import { createHmac, timingSafeEqual } from 'node:crypto';

export interface UnsubscribeTokens {
  /** A token naming one user, for the link in their alert mail. */
  sign(userId: string): string;
  /** The user a token names, or null when it was not made by sign() with this secret. */
  verify(token: unknown): string | null;
}

const TOKEN_SHAPE = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

/**
 * Unsubscribe links work without signing in, so the token itself is the proof: the user id plus an
 * HMAC over it, keyed from the app secret. Nobody can make one for another user, and nothing is stored.
 */
export function createUnsubscribeTokens(appSecret: string): UnsubscribeTokens {
  const key = createHmac('sha256', appSecret).update('warren:unsubscribe').digest();
  const mac = (userId: string) => createHmac('sha256', key).update(userId).digest();
  return {
    sign: (userId) => `${userId}.${mac(userId).toString('base64url')}`,
    verify(token) {
      const match = typeof token === 'string' ? TOKEN_SHAPE.exec(token) : null;
      if (!match) return null;
      // Compared as text (so only the canonical encoding passes) and in constant time, so the
      // comparison does not reveal how much of a guessed MAC was right.
      const expected = Buffer.from(mac(match[1]).toString('base64url'));
      return timingSafeEqual(Buffer.from(match[2]), expected) ? match[1] : null;
    },
  };
}

export const unsubscribeUrl = (appUrl: string, token: string) => `${appUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
