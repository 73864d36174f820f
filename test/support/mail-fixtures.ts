import type { ParsedMail } from 'mailparser';
import type { Warren } from './harness.ts';
import { enqueueMail } from '../../server/mail/outbox.ts';
import type { SignalAlertData } from '../../server/mail/templates.ts';
import type { Db, Tx } from '../../server/db/database.ts';

/** Strings a buyer, an admin or a data feed could put in front of a template. */
export const HOSTILE = {
  title: '<script>alert("t")</script> & "Co"',
  tag: '<img src=x onerror=alert(1)>',
  header: 'Innocent\r\nBcc: victim@example.com',
};

/** The raw header line as it arrived (mailparser keeps them), e.g. header(mail, 'list-unsubscribe'). */
export const header = (mail: ParsedMail, key: string) =>
  mail.headerLines.find((line) => line.key === key)?.line.replace(/\r?\n[ \t]+/g, ' ');

/** An HTML attribute value as the browser reads it (Handlebars writes `=` as &#x3D;). */
export const decodeAttribute = (value: string) =>
  value.replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export function signalAlertData(overrides: Partial<SignalAlertData> = {}): SignalAlertData {
  return {
    thesisTitle: 'The Decode Singularity',
    thesisSlug: 'decode-singularity',
    signalTitle: 'Hyperscaler inference contract',
    status: 'confirmed',
    note: 'A second hyperscaler signed.\n\nTerms were not disclosed.',
    occurredAt: '2026-11-26T09:30:00.000Z',
    chainHead: 'ab'.repeat(32),
    chainCount: 7,
    ...overrides,
  };
}

/** Active access to a thesis, as a purchase gives it (alerts are delivered only to those who hold it). */
export async function entitle(warren: Warren, userId: string, thesisSlug: string) {
  const { id: thesisId } = await warren.db.thesis.findUniqueOrThrow({ where: { slug: thesisSlug }, select: { id: true } });
  const now = warren.clock.now();
  await warren.db.entitlement.upsert({ where: { userId_thesisId: { userId, thesisId } }, create: { userId, thesisId, createdAt: now, updatedAt: now }, update: {} });
}

/** A member of the alert's thesis, and a queued signal alert to them (as the signals feature queues it). */
export async function queueAlert(warren: Warren, email: string, dedupeKey: string, data = signalAlertData()) {
  const user = await warren.db.user.upsert({ where: { email }, create: { email, createdAt: warren.clock.now() }, update: {}, select: { id: true } });
  await entitle(warren, user.id, data.thesisSlug);
  const queued = await enqueueMail(warren.db, { dedupeKey, template: 'signal-alert', recipient: email, userId: user.id, data }, warren.clock.now());
  return { userId: user.id, queued };
}

/** An administrator's sale notice, queued at the test clock's time (in `db`, e.g. a transaction, when given). */
export async function queueAdminSale(warren: Warren, dedupeKey: string, recipient = 'publisher@example.com', db: Db | Tx = warren.db) {
  await enqueueMail(db, {
    dedupeKey,
    template: 'admin-sale',
    recipient,
    data: { thesisTitle: 'The Decode Singularity', buyerEmail: 'buyer@example.com', price: 'CA$75.00', purchasedOn: '2026-11-26', reference: dedupeKey },
  }, warren.clock.now());
}
