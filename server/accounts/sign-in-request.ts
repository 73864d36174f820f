import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { findUserByEmail } from './users.repo.ts';

/**
 * Queues a sign-in e-mail when the address belongs to someone; otherwise does nothing. The caller
 * answers the same either way, so the form cannot be used to learn who is a member.
 */
export async function requestSignInLink(db: Db, email: string, nextPath: string): Promise<boolean> {
  const user = await findUserByEmail(db, email);
  if (!user) return false;
  await enqueueMail(db, {
    dedupeKey: `sign-in:${randomUUID()}`,
    template: 'sign-in',
    recipient: user.email,
    data: {},
    signInFor: { userId: user.id, nextPath },
  });
  return true;
}
