import { createHmac, timingSafeEqual } from 'node:crypto';

/** What an unsubscribe link stops: every alert of a user, or (with `thesisId`) their alerts about one thesis. */
export interface UnsubscribeScope {
  userId: string;
  thesisId?: string;
}

export interface UnsubscribeTokens {
  /** A token naming one user, and one thesis when given, for the links in their alert mail. */
  sign(userId: string, thesisId?: string): string;
  /** The scope a token names, or null when it was not made by sign() with this secret. */
  verify(token: unknown): UnsubscribeScope | null;
}

const ID = '[0-9a-f-]{36}';
const MAC = '[A-Za-z0-9_-]{43}';
const ALL_ALERTS = new RegExp(`^(${ID})\\.(${MAC})$`);
const ONE_THESIS = new RegExp(`^(${ID})\\.(${ID})\\.(${MAC})$`);

/**
 * Unsubscribe links work without signing in, so the token itself is the proof: the user id (and the
 * thesis id) plus an HMAC over them, keyed from the app secret. Nobody can make one for another user
 * or another thesis, and nothing is stored. The two kinds use separate keys, so neither token's MAC
 * is ever valid as the other's. Tokens in mail sent before per-thesis links are the all-alerts kind.
 */
export function createUnsubscribeTokens(appSecret: string): UnsubscribeTokens {
  const keyFor = (purpose: string) => createHmac('sha256', appSecret).update(purpose).digest();
  const keys = { all: keyFor('warren:unsubscribe'), thesis: keyFor('warren:unsubscribe-thesis') };
  const mac = ({ userId, thesisId }: UnsubscribeScope) =>
    thesisId === undefined
      ? createHmac('sha256', keys.all).update(userId).digest('base64url')
      : createHmac('sha256', keys.thesis).update(`${userId}.${thesisId}`).digest('base64url');
  const parse = (token: string): { scope: UnsubscribeScope; mac: string } | null => {
    const all = ALL_ALERTS.exec(token);
    if (all) return { scope: { userId: all[1] }, mac: all[2] };
    const thesis = ONE_THESIS.exec(token);
    return thesis ? { scope: { userId: thesis[1], thesisId: thesis[2] }, mac: thesis[3] } : null;
  };
  return {
    sign: (userId, thesisId) => [userId, ...(thesisId === undefined ? [] : [thesisId]), mac({ userId, thesisId })].join('.'),
    verify(token) {
      const parsed = typeof token === 'string' ? parse(token) : null;
      if (!parsed) return null;
      // Compared as text (so only the canonical encoding passes) and in constant time, so the
      // comparison does not reveal how much of a guessed MAC was right.
      return timingSafeEqual(Buffer.from(parsed.mac), Buffer.from(mac(parsed.scope))) ? parsed.scope : null;
    },
  };
}

export const unsubscribeUrl = (appUrl: string, token: string) => `${appUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
