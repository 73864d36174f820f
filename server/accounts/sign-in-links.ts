import { createHash, randomBytes } from 'node:crypto';
import type { Db, Tx } from '../db/database.ts';

export const SIGN_IN_LINK_LIFETIME_MS = 15 * 60 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a single-use link and returns its token; only the token's hash is stored. */
export async function mintSignInLink(db: Db | Tx, userId: string, nextPath: string, now: Date): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.signInLink.create({
    data: { tokenHash: hashToken(token), userId, nextPath, expiresAt: new Date(now.getTime() + SIGN_IN_LINK_LIFETIME_MS) },
  });
  return token;
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

/** Whether a token names a link that can still be used: the confirmation page says so before the click. */
export async function isSignInLinkUsable(db: Db, token: unknown, now: Date): Promise<SignInLinkProblem | null> {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return 'invalid';
  const link = await db.signInLink.findUnique({ where: { tokenHash: hashToken(token) }, select: { usedAt: true, expiresAt: true } });
  if (!link) return 'invalid';
  if (link.usedAt) return 'used';
  return link.expiresAt > now ? null : 'expired';
}
