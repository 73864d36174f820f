import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { isUniqueViolation, type Db, type Tx } from '../db/database.ts';
import { badRequest } from '../http/errors.ts';
import { GENESIS_HASH, hashUpdate, type HashedUpdate } from './hash-chain.ts';
import { renderNote } from './note-html.ts';
import { enqueueSignalAlerts, type AlertThesis } from './signal-alerts.ts';
import { findChainHead, findLatestForSignal, findUpdateBySequence, insertUpdate } from './signal-log.repo.ts';
import type { SignalStatus } from './statuses.ts';

export interface SignalUpdateInput {
  signalId: string;
  status: SignalStatus;
  /** Markdown. */
  note: string;
  sourceUrl: string | null;
  /** The evidence date, midnight UTC. */
  occurredOn: Date;
  correctsSequence: number | null;
  alert: boolean;
}

export interface RecordedUpdate {
  update: HashedUpdate;
  alertsQueued: number;
}

// Each retry follows another admin's update that won the same link; more than a few in a row means
// something else is wrong.
const MAX_ATTEMPTS = 5;

/**
 * Appends one update to a thesis's chain: the next sequence, the previous hash, server time, the
 * signal's new status and (when asked) the members' alerts, all in one transaction. Nothing here
 * edits or deletes an earlier update; a correction is a new update naming the one it corrects.
 */
export async function recordSignalUpdate(db: Db, clock: Clock, thesis: AlertThesis, input: SignalUpdateInput): Promise<RecordedUpdate> {
  // Before the transaction: a long note renders without holding the database, and a refused one writes nothing.
  const noteHtml = renderNote(input.note);
  return appendToChain(db, (tx) => appendInTransaction(tx, clock, thesis, input, noteHtml));
}

/**
 * Runs one append (read the head, insert head + 1) in a transaction, and again from the new head when
 * a concurrent append took the same link. Every kind of entry an admin records goes through here.
 */
export async function appendToChain<T>(db: Db, append: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(append);
    } catch (error) {
      // Two admins read the same head; the unique (thesisId, sequence) let one through. Start over
      // from the new head rather than fork the chain.
      if (!isUniqueViolation(error) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function appendInTransaction(tx: Tx, clock: Clock, thesis: AlertThesis, input: SignalUpdateInput, noteHtml: string): Promise<RecordedUpdate> {
  // The head first: every later read is then at least as new as the link we extend.
  const head = await findChainHead(tx, thesis.id);
  const signal = await tx.signal.findFirst({ where: { id: input.signalId, thesisId: thesis.id }, select: { id: true, title: true, status: true } });
  if (!signal) throw badRequest('That signal does not belong to this thesis.');
  const headSequence = head?.sequence ?? 0;
  if (input.correctsSequence !== null) {
    const corrected = await findUpdateBySequence(tx, thesis.id, input.correctsSequence);
    if (!corrected || input.correctsSequence > headSequence) throw badRequest(`There is no update #${input.correctsSequence} to correct.`);
    if (corrected.signalId !== signal.id) throw badRequest(`Update #${input.correctsSequence} is about another signal.`);
  }
  const now = clock.now();
  if (input.occurredOn.getTime() > now.getTime()) throw badRequest('The evidence date cannot be in the future.');

  const previous = await findLatestForSignal(tx, signal.id, headSequence);
  const unhashed = {
    sequence: headSequence + 1,
    id: randomUUID(),
    thesisId: thesis.id,
    signalId: signal.id,
    signalTitle: signal.title,
    status: input.status,
    previousStatus: previous?.status ?? signal.status,
    note: input.note,
    sourceUrl: input.sourceUrl,
    correctsSequence: input.correctsSequence,
    occurredAt: input.occurredOn.toISOString(),
    recordedAt: now.toISOString(),
    alert: input.alert,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const update: HashedUpdate = { ...unhashed, hash: hashUpdate(unhashed) };
  await insertUpdate(tx, update, noteHtml);
  await tx.signal.update({ where: { id: signal.id }, data: { status: update.status } });
  const alertsQueued = update.alert ? await enqueueSignalAlerts(tx, thesis, update, now) : 0;
  return { update, alertsQueued };
}
