import type { Tx } from '../db/database.ts';
import { listEntitledMembers, type EntitledMember } from '../access/entitled-members.ts';
import { enqueueMails, type OutgoingMail } from '../mail/outbox.ts';
import type { HashedPosition, HashedSectionChange, HashedUpdate } from './hash-chain.ts';
import { wordDiff } from './word-diff.ts';

export interface AlertThesis {
  id: string;
  slug: string;
  title: string;
}

/**
 * Queues the mail `mailFor` makes for each of the thesis's entitled members, in one batch (consents in
 * two queries, rows in one insert per chunk) inside the transaction that records the entry: the mail
 * exists exactly when the entry does. Consent is the outbox's rule: enqueueMails leaves out alerts to
 * people who unsubscribed or whose level for the thesis leaves this change out, and delivery checks
 * again. Returns how many were queued.
 */
async function alertEachMember(tx: Tx, thesisId: string, now: Date, mailFor: (member: EntitledMember) => OutgoingMail): Promise<number> {
  return enqueueMails(tx, (await listEntitledMembers(tx, thesisId)).map(mailFor), now);
}

/**
 * One alert per member for a signal update. Each carries the chain head at that moment (this update's
 * hash and count), so members' inboxes hold copies of the head that we cannot rewrite later.
 */
export async function enqueueSignalAlerts(tx: Tx, thesis: AlertThesis, update: HashedUpdate, now: Date): Promise<number> {
  return alertEachMember(tx, thesis.id, now, (member) => ({
    dedupeKey: `signal-alert:${update.id}:${member.userId}`,
    template: 'signal-alert',
    recipient: member.email,
    userId: member.userId,
    // A correction or new evidence that leaves the status where it was is a note: "all updates" only.
    alert: { thesisId: thesis.id, change: update.status === update.previousStatus ? 'note' : 'status' },
    data: {
      thesisTitle: thesis.title,
      thesisSlug: thesis.slug,
      signalTitle: update.signalTitle,
      status: update.status,
      // The Markdown as written: it reads as plain text, and the text part must not carry HTML.
      note: update.note,
      occurredAt: update.occurredAt.slice(0, 10), // the evidence date, ISO 8601
      chainHead: update.hash,
      chainCount: update.sequence,
    },
  }));
}

/**
 * Queues one alert per member for a save that changed members' sections (not for an editorial fix),
 * in the save's transaction. One mail per save, naming every changed section, carrying the chain head
 * after the save's last link (a witness, as for signal updates).
 */
export async function enqueueSectionAlerts(tx: Tx, thesis: AlertThesis, entries: readonly HashedSectionChange[], now: Date): Promise<number> {
  const last = entries.at(-1);
  if (!last) return 0;
  // The same for every member: diffed once, not once per recipient inside the save's transaction.
  const sections = entries.map((entry) => ({
    title: entry.sectionTitle,
    key: entry.sectionKey,
    text: entry.text ?? '',
    changes: wordDiff(entry.previousText ?? '', entry.text ?? ''),
  }));
  return alertEachMember(tx, thesis.id, now, (member) => ({
    dedupeKey: `section-alert:${last.id}:${member.userId}`,
    template: 'section-alert',
    recipient: member.email,
    userId: member.userId,
    // Sizing and entry levels change what the member holds: alerted unless their level is "none".
    alert: { thesisId: thesis.id, change: 'section' },
    data: {
      thesisTitle: thesis.title,
      thesisSlug: thesis.slug,
      sections,
      recordedAt: last.recordedAt,
      chainHead: last.hash,
      chainCount: last.sequence,
    },
  }));
}

/**
 * Queues one alert per member for a position entry or exit, in the transaction that records it, with
 * the chain head of that moment. Members at "only status changes" get it too: it is what they hold.
 */
export async function enqueuePositionAlerts(tx: Tx, thesis: AlertThesis, entry: HashedPosition, now: Date): Promise<number> {
  return alertEachMember(tx, thesis.id, now, (member) => ({
    dedupeKey: `position-alert:${entry.id}:${member.userId}`,
    template: 'position-alert',
    recipient: member.email,
    userId: member.userId,
    alert: { thesisId: thesis.id, change: 'position' },
    data: {
      thesisTitle: thesis.title,
      thesisSlug: thesis.slug,
      action: entry.action,
      instrument: entry.instrument,
      price: entry.price,
      currency: entry.currency,
      sizeNote: entry.sizeNote,
      note: entry.note,
      occurredAt: entry.occurredAt.slice(0, 10),
      chainHead: entry.hash,
      chainCount: entry.sequence,
    },
  }));
}
