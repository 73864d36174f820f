import type { Db } from '../db/database.ts';
import { enqueueMail } from '../mail/outbox.ts';

/** At most one sign-in e-mail per address in this time, whichever route asked for it. */
export const SIGN_IN_MAIL_INTERVAL_MS = 60 * 1000;

export type SignInRequest = 'queued' | 'just-sent';

/**
 * Queues a sign-in e-mail to an address, whoever it belongs to: the mail worker looks the address up
 * when it sends (mail/compose.ts) and sends nothing when no account has it (an address in
 * ADMIN_EMAILS gets its account made there). So a member and a stranger cost the same statements
 * here, take as long and get the same answer: the form cannot tell anyone who is a member.
 *
 * "just-sent" when one was queued for the address within the last minute. The minute in the dedupe
 * key makes two instances asked at the same moment queue one mail between them.
 */
export async function requestSignInMail(db: Db, email: string, nextPath: string, now: Date): Promise<SignInRequest> {
  const since = new Date(now.getTime() - SIGN_IN_MAIL_INTERVAL_MS);
  const recent = await db.outboxMessage.findFirst({ where: { recipient: email, createdAt: { gt: since }, template: 'sign-in' }, select: { id: true } });
  if (recent) return 'just-sent';
  await enqueueMail(db, {
    dedupeKey: `sign-in:${email}:${Math.floor(now.getTime() / SIGN_IN_MAIL_INTERVAL_MS)}`,
    template: 'sign-in',
    recipient: email,
    data: {},
    signInFor: { email, nextPath },
  }, now);
  return 'queued';
}
