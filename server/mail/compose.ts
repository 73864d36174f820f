import type { Db } from '../db/database.ts';
import { mintSignInLink } from '../accounts/sign-in-links.ts';
import { consentingUserId, type StoredPayload } from './outbox.ts';
import type { ClaimedMessage } from './outbox-claim.ts';
import { categoryOf, isTemplateName, type MailRenderer } from './templates.ts';
import type { MailMessage } from './transport.ts';
import { unsubscribeUrl, type UnsubscribeTokens } from './unsubscribe-token.ts';

export interface ComposeDeps {
  db: Db;
  renderer: MailRenderer;
  unsubscribeTokens: UnsubscribeTokens;
  mailFrom: string;
  appUrl: string;
}

/** The domain Message-IDs are made in: the sender's, so they are unique to this publisher. */
export function messageIdDomain(mailFrom: string): string {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'warren.invalid';
}

export type Composed = { send: MailMessage; signInUrl?: string } | { skip: string };

/**
 * Turns one outbox row into the e-mail to send, at delivery time: consent for alerts is checked now
 * (an unsubscribe since queueing wins), sign-in links are minted now, the Message-ID is the row's.
 */
export async function composeMail(deps: ComposeDeps, message: ClaimedMessage, now: Date): Promise<Composed> {
  if (!isTemplateName(message.template)) throw new Error(`unknown e-mail template "${message.template}"`);
  const payload = JSON.parse(message.payload) as StoredPayload;
  const headers: Record<string, string> = {};
  let unsubscribe: string | null = null;
  if (categoryOf(message.template) === 'alert') {
    const userId = await consentingUserId(deps.db, { userId: payload.userId, recipient: message.recipient });
    if (!userId) return { skip: 'recipient unsubscribed from alerts' };
    unsubscribe = unsubscribeUrl(deps.appUrl, deps.unsubscribeTokens.sign(userId));
    // RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs here without a sign-in.
    headers['List-Unsubscribe'] = `<${unsubscribe}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  let signInUrl: string | undefined;
  let signInCode: string | undefined;
  if (payload.signInFor) {
    const { token, code } = await mintSignInLink(deps.db, payload.signInFor.userId, payload.signInFor.nextPath, now);
    signInUrl = `${deps.appUrl}/login/verify?token=${token}`;
    signInCode = code;
  }
  const rendered = deps.renderer.render(message.template, payload.data, { signInUrl, signInCode, unsubscribeUrl: unsubscribe });
  return {
    signInUrl,
    send: {
      from: deps.mailFrom,
      to: message.recipient,
      ...rendered,
      messageId: `<${message.id}@${messageIdDomain(deps.mailFrom)}>`,
      headers,
    },
  };
}
