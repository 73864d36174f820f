import type { Tx, Db } from '../db/database.ts';
import { categoryOf, type TemplateData, type TemplateName } from './templates.ts';

interface OutgoingMailOf<T extends TemplateName> {
  /** Same key, same e-mail: a retried transaction or a replayed event cannot queue it twice. */
  dedupeKey: string;
  template: T;
  recipient: string;
  data: TemplateData[T];
  /** When set, a fresh sign-in link is minted at delivery time, so no live token sits in the outbox. */
  signInFor?: { userId: string; nextPath: string };
  /**
   * The recipient's user id. Alert mail (see MAIL_TEMPLATES) is checked against that user's consent
   * when queued and again when delivered; without it the recipient's address is looked up instead.
   */
  userId?: string;
}

/** One e-mail to queue; `data` is checked against the template's data shape. */
export type OutgoingMail = { [T in TemplateName]: OutgoingMailOf<T> }[TemplateName];

export interface StoredPayload {
  data: object;
  signInFor?: { userId: string; nextPath: string };
  userId?: string;
}

/** The id of the user (by id, else by address) when they still accept alert mail; unknown people do not. */
export async function consentingUserId(db: Tx | Db, who: { userId?: string; recipient: string }): Promise<string | null> {
  const user = await db.user.findUnique({
    where: who.userId ? { id: who.userId } : { email: who.recipient },
    select: { id: true, emailAlerts: true },
  });
  return user?.emailAlerts ? user.id : null;
}

/**
 * Call inside the transaction that causes the mail, so the mail exists exactly when the change does.
 * Returns false when nothing was queued because the recipient unsubscribed from alerts.
 */
export async function enqueueMail(db: Tx | Db, mail: OutgoingMail): Promise<boolean> {
  if (categoryOf(mail.template) === 'alert' && (await consentingUserId(db, mail)) === null) return false;
  const payload: StoredPayload = { data: mail.data, signInFor: mail.signInFor, userId: mail.userId };
  await db.outboxMessage.upsert({
    where: { dedupeKey: mail.dedupeKey },
    create: { dedupeKey: mail.dedupeKey, template: mail.template, recipient: mail.recipient, payload: JSON.stringify(payload) },
    update: {},
  });
  return true;
}
