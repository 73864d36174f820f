import type { Tx, Db } from '../db/database.ts';
import type { TemplateName } from './templates.ts';

export interface OutgoingMail {
  /** Same key, same e-mail: a retried transaction or a replayed event cannot queue it twice. */
  dedupeKey: string;
  template: TemplateName;
  recipient: string;
  data: Record<string, unknown>;
  /** When set, a fresh sign-in link is minted at delivery time, so no live token sits in the outbox. */
  signInFor?: { userId: string; nextPath: string };
}

export interface StoredPayload {
  data: Record<string, unknown>;
  signInFor?: { userId: string; nextPath: string };
}

/** Call inside the transaction that causes the mail, so the mail exists exactly when the change does. */
export async function enqueueMail(db: Tx | Db, mail: OutgoingMail): Promise<void> {
  const payload: StoredPayload = { data: mail.data, signInFor: mail.signInFor };
  await db.outboxMessage.upsert({
    where: { dedupeKey: mail.dedupeKey },
    create: { dedupeKey: mail.dedupeKey, template: mail.template, recipient: mail.recipient, payload: JSON.stringify(payload) },
    update: {},
  });
}
