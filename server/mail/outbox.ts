import { randomUUID } from 'node:crypto';
import { Prisma, type Tx, type Db } from '../db/database.ts';
import type { AlertSubject } from './alert-preferences.ts';
import { alertConsents } from './mail.repo.ts';
import { categoryOf, type TemplateData, type TemplateName } from './templates.ts';

interface OutgoingMailOf<T extends TemplateName> {
  /** Same key, same e-mail: a retried transaction or a replayed event cannot queue it twice. */
  dedupeKey: string;
  template: T;
  recipient: string;
  data: TemplateData[T];
  /** When set, a fresh sign-in link is minted at delivery time, so no live token sits in the outbox. */
  signInFor?: SignInFor;
  /**
   * The recipient's user id. Alert mail (see MAIL_TEMPLATES) is checked against that user's consent
   * when queued and again when delivered; without it the recipient's address is looked up instead.
   */
  userId?: string;
  /** Alert mail: the thesis it is about and what changed, checked against the member's level for that thesis. */
  alert?: AlertSubject;
}

/** One e-mail to queue; `data` is checked against the template's data shape. */
export type OutgoingMail = { [T in TemplateName]: OutgoingMailOf<T> }[TemplateName];

/**
 * Whom a sign-in link is for: an account, or an address the worker looks up when it sends (a sign-in
 * request, answered the same whether or not the address has an account: see accounts/sign-in-request.ts).
 */
export type SignInFor = { userId: string; nextPath: string } | { email: string; nextPath: string };

export interface StoredPayload {
  data: object;
  signInFor?: SignInFor;
  userId?: string;
  alert?: AlertSubject;
}

/**
 * Call inside the transaction that causes the mail, so the mail exists exactly when the change does.
 * Returns false when nothing was queued because the recipient does not want the alert (unsubscribed,
 * or not this kind of alert about this thesis).
 */
export async function enqueueMail(db: Tx | Db, mail: OutgoingMail, now: Date): Promise<boolean> {
  return (await enqueueMails(db, [mail], now)) === 1;
}

/**
 * Queues several e-mails in one statement (a sale's receipt and its admin notices), with the same
 * rules as enqueueMail. Returns how many were meant for the outbox (alerts their recipients do
 * not want are left out); a key already queued counts too, and is left as it was.
 */
export async function enqueueMails(db: Tx | Db, mails: readonly OutgoingMail[], now: Date): Promise<number> {
  let queued = 0;
  for (let start = 0; start < mails.length; start += ENQUEUE_CHUNK) queued += await enqueueChunk(db, mails.slice(start, start + ENQUEUE_CHUNK), now);
  return queued;
}

/**
 * Messages per statement: a signal alert to every member is one batch, and PostgreSQL binds at most
 * 65,535 values in one statement (seven a row here): 10,000 members would pass it.
 */
const ENQUEUE_CHUNK = 500;

async function enqueueChunk(db: Tx | Db, mails: readonly OutgoingMail[], now: Date): Promise<number> {
  const alerts = mails.filter((mail) => categoryOf(mail.template) === 'alert');
  const consents = await alertConsents(db, alerts);
  const unwanted = new Set(alerts.filter((_, n) => 'refused' in consents[n]));
  const wanted = mails.filter((mail) => !unwanted.has(mail));
  if (wanted.length > 0) await insertIgnoringQueued(db, wanted, now);
  return wanted.length;
}

/**
 * One multi-row INSERT … ON CONFLICT DO NOTHING, written for both SQLite and PostgreSQL (the pg
 * adapter sets search_path to the schema). Raw SQL because Prisma has no skipDuplicates on SQLite,
 * and its upsert costs three statements a row. The columns Prisma would fill are filled the same
 * way: a v4 uuid, 'pending', no attempts; due and created `now`, the caller's clock time, which the
 * worker compares with its own clock when it claims due rows.
 */
async function insertIgnoringQueued(db: Tx | Db, mails: readonly OutgoingMail[], now: Date): Promise<void> {
  const rows = mails.map((mail) => {
    const payload: StoredPayload = { data: mail.data, signInFor: mail.signInFor, userId: mail.userId, alert: mail.alert };
    return Prisma.sql`(${randomUUID()}, ${mail.dedupeKey}, ${mail.template}, ${mail.recipient}, ${JSON.stringify(payload)}, 'pending', 0, ${now}, ${now})`;
  });
  await db.$executeRaw`
    INSERT INTO "OutboxMessage" ("id", "dedupeKey", "template", "recipient", "payload", "status", "attempts", "nextAttemptAt", "createdAt")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("dedupeKey") DO NOTHING`;
}
