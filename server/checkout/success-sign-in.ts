import type { Response } from 'express';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { SessionCookie } from '../accounts/session-cookie.ts';

/**
 * The success URL carries the Checkout Session id, which ends up in browser history and may be
 * shared: it signs the buyer in on its first visit only. Later visits fall back to the e-mailed link.
 */
export async function signInFromSuccessPage(
  db: Db,
  clock: Clock,
  sessions: SessionCookie,
  res: Response,
  checkoutSessionId: string,
  userId: string,
): Promise<boolean> {
  if (res.locals.viewer?.userId === userId) return true;
  const { count } = await db.purchase.updateMany({
    where: { checkoutSessionId, successSignInAt: null },
    data: { successSignInAt: clock.now() },
  });
  if (count === 1) await sessions.signIn(res, userId);
  return count === 1;
}
