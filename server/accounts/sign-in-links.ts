import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Db, Tx } from '../db/database.ts';

export const SIGN_IN_LINK_LIFETIME_MS = 15 * 60 * 1000;
/** Wrong codes a person may type before every live code of their account stops working. */
export const MAX_CODE_FAILURES = 5;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
// Bound to the account, so equal codes of two people never share a hash.
const hashCode = (userId: string, code: string) => createHash('sha256').update(`code:${userId}:${code}`).digest('hex');

// No 0/O, 1/I/L: the code is read off a phone and typed on another device. 31^8 ≈ 8.5e11 codes.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

/** "abcd efgh", "ABCD-EFGH" → "ABCDEFGH"; null for anything that cannot be a code. */
export function normaliseSignInCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 32) return null;
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === CODE_LENGTH && [...code].every((char) => CODE_ALPHABET.includes(char)) ? code : null;
}

export interface MintedSignIn {
  token: string;
  /** Shown as "ABCD-EFGH". */
  code: string;
}

/**
 * Creates single-use links with their one-time codes, in one INSERT (the mail worker mints a claimed
 * batch's links together); only their hashes are stored.
 */
export async function mintSignInLinks(db: Db | Tx, requests: readonly { userId: string; nextPath: string }[], now: Date): Promise<MintedSignIn[]> {
  if (requests.length === 0) return [];
  const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_LIFETIME_MS);
  const minted = requests.map(({ userId, nextPath }) => {
    const token = randomBytes(32).toString('base64url');
    const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    return { token, code, row: { tokenHash: hashToken(token), codeHash: hashCode(userId, code), userId, nextPath, expiresAt, createdAt: now } };
  });
  await db.signInLink.createMany({ data: minted.map(({ row }) => row) });
  return minted.map(({ token, code }) => ({ token, code: `${code.slice(0, 4)}-${code.slice(4)}` }));
}

export type SignInLinkProblem = 'invalid' | 'used' | 'expired';
export type ConsumedSignInLink = { ok: true; userId: string; nextPath: string } | { ok: false; problem: SignInLinkProblem };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Marks the link used in one conditional write, so two clicks racing cannot both sign in. */
export async function consumeSignInLink(db: Db, token: unknown, now: Date): Promise<ConsumedSignInLink> {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return { ok: false, problem: 'invalid' };
  const tokenHash = hashToken(token);
  const { count } = await db.signInLink.updateMany({
    where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  const link = await db.signInLink.findUnique({ where: { tokenHash }, select: { userId: true, nextPath: true, usedAt: true } });
  if (!link) return { ok: false, problem: 'invalid' };
  if (count === 1) return { ok: true, userId: link.userId, nextPath: link.nextPath };
  return { ok: false, problem: link.usedAt ? 'used' : 'expired' };
}

// No account has this id (user ids are random v4 UUIDs): a stranger's code is looked up under it.
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

/**
 * Signs in with the code typed from the e-mail. It works once, until its link expires, and only
 * while fewer than MAX_CODE_FAILURES wrong codes were typed for the account (plus a per-IP limit
 * at the route), which keeps guessing hopeless. Unknown addresses get the same "not valid" answer,
 * after the same statements as a member's wrong code, so the time taken tells nothing either.
 */
export async function consumeSignInCode(db: Db, userId: string | null, input: unknown, now: Date): Promise<ConsumedSignInLink> {
  const code = normaliseSignInCode(input);
  if (!code) return { ok: false, problem: 'invalid' };
  const live = { userId: userId ?? NO_ACCOUNT, usedAt: null, expiresAt: { gt: now }, codeFailures: { lt: MAX_CODE_FAILURES } };
  const link = await db.signInLink.findFirst({ where: { ...live, codeHash: hashCode(live.userId, code) }, select: { id: true, nextPath: true } });
  if (link) {
    const { count } = await db.signInLink.updateMany({ where: { id: link.id, usedAt: null }, data: { usedAt: now } });
    if (count === 1) return { ok: true, userId: live.userId, nextPath: link.nextPath };
  } else {
    await db.signInLink.updateMany({ where: live, data: { codeFailures: { increment: 1 } } });
  }
  return { ok: false, problem: 'invalid' };
}

/** Whether a token names a link that can still be used: the confirmation page says so before the click. */
export async function isSignInLinkUsable(db: Db, token: unknown, now: Date): Promise<SignInLinkProblem | null> {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return 'invalid';
  const link = await db.signInLink.findUnique({ where: { tokenHash: hashToken(token) }, select: { usedAt: true, expiresAt: true } });
  if (!link) return 'invalid';
  if (link.usedAt) return 'used';
  return link.expiresAt > now ? null : 'expired';
}
