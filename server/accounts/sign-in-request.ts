import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { findOrCreateUser, findUserByEmail } from './users.repo.ts';

/**
 * Queues a sign-in e-mail when the address belongs to someone; otherwise does nothing. The caller
 * answers the same either way, so the form cannot be used to learn who is a member.
 * An address named in ADMIN_EMAILS is known by configuration: on a fresh site the publisher has no
 * account row yet, and could not otherwise sign in at all.
 */
export async function requestSignInLink(db: Db, email: string, nextPath: string, adminEmails: readonly string[], now: Date): Promise<boolean> {
  const user = adminEmails.includes(email) ? await findOrCreateUser(db, email, now) : await findUserByEmail(db, email);
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
