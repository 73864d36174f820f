import type { Db } from '../db/database.ts';
import type { MailSignIns } from '../mail/compose.ts';
import { mintSignInLinks } from './sign-in-links.ts';
import { findOrCreateUsers } from './users.repo.ts';

/**
 * The accounts side of mail that signs its reader in, used by the mail worker when it sends: whose
 * account an address is, and fresh single-use links. Mail sits below accounts, so this is passed to
 * createMailDelivery rather than imported by it.
 */
export function mailSignIns(db: Db, adminEmails: readonly string[]): MailSignIns {
  return {
    // One read; an ADMIN_EMAILS address without an account gets one, so the publisher can always sign in.
    async accountIds(emails, now) {
      const userIds = new Map<string, string>();
      for (const user of await db.user.findMany({ where: { email: { in: [...emails] } }, select: { id: true, email: true } })) userIds.set(user.email, user.id);
      const newAdmins = emails.filter((email) => !userIds.has(email) && adminEmails.includes(email));
      if (newAdmins.length > 0) for (const [email, id] of await findOrCreateUsers(db, newAdmins.map((email) => ({ email })), now)) userIds.set(email, id);
      return userIds;
    },
    mint: (requests, now) => mintSignInLinks(db, requests, now),
  };
}
