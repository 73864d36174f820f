import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Db, Tx } from '../db/database.ts';
import { formatDay } from '../http/dates.ts';
import { badRequest } from '../http/errors.ts';
// The grace is defined with the chain (hash-chain.ts): verify-log refuses a record that breaks it.
import { GENESIS_HASH, TRADE_DATE_GRACE_DAYS, earliestTradeTime, hashUpdate, type HashedPosition, type PositionAction } from './hash-chain.ts';
import { renderNote } from './note-html.ts';
import { appendToChain } from './record-update.ts';
import { enqueuePositionAlerts, type AlertThesis } from './signal-alerts.ts';
import { findChainHead, insertPosition, listPositionLegs } from './signal-log.repo.ts';
import { openPositions, positionRefusal } from './open-positions.ts';

export interface PositionInput {
  action: PositionAction;
  instrument: string;
  /** A positive decimal as typed. */
  price: string;
  currency: string;
  sizeNote: string | null;
  /** The trade's date, midnight UTC. */
  occurredOn: Date;
  /** Markdown, possibly empty. */
  note: string;
  alert: boolean;
}

const startOfUtcDay = (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());

/** The first trade date accepted now (midnight UTC): the later of the publication day and the grace period's start. */
export function earliestTradeDay(publishedAt: Date, now: Date): Date {
  return new Date(Math.max(startOfUtcDay(publishedAt), earliestTradeTime(now.getTime())));
}

export interface RecordedPosition {
  entry: HashedPosition;
  alertsQueued: number;
}

/**
 * Appends the thesis's position entry or exit to its chain, with (when asked) the members' alerts, in
 * one transaction, through the same retry as signal updates. Only a published thesis has a record the
 * public and members follow, so a draft's position is refused rather than kept out of sight.
 */
export async function recordPosition(db: Db, clock: Clock, thesis: AlertThesis & { publishedAt: Date | null }, input: PositionInput): Promise<RecordedPosition> {
  const noteHtml = input.note === '' ? '' : renderNote(input.note);
  return appendToChain(db, (tx) => appendPosition(tx, clock, thesis, input, noteHtml));
}

/** Why the thesis or the trade date refuses this entry at `now`, or null. */
function dateRefusal(publishedAt: Date | null, occurredOn: Date, now: Date): string | null {
  if (!publishedAt || publishedAt.getTime() > now.getTime()) return 'A position can be recorded only on a published thesis: publish it first.';
  if (occurredOn.getTime() > now.getTime()) return 'occurredOn: the date of the trade cannot be in the future.';
  const earliest = earliestTradeDay(publishedAt, now);
  if (occurredOn.getTime() >= earliest.getTime()) return null;
  return `occurredOn: a trade is recorded within ${TRADE_DATE_GRACE_DAYS} days and not before the thesis was published; the earliest date accepted now is ${formatDay(earliest)}.`;
}

async function appendPosition(
  tx: Tx,
  clock: Clock,
  thesis: AlertThesis & { publishedAt: Date | null },
  input: PositionInput,
  noteHtml: string,
): Promise<RecordedPosition> {
  // The very time that becomes recordedAt: checked against an earlier reading, a trade dated four days
  // back at 23:59:59 would be stored at 00:00:00 and fail verify-log's rule for ever.
  const now = clock.now();
  const dateProblem = dateRefusal(thesis.publishedAt, input.occurredOn, now);
  if (dateProblem !== null) throw badRequest(dateProblem);
  const head = await findChainHead(tx, thesis.id);
  // Read in the transaction that appends: a concurrent leg takes the same link and this one is retried.
  const open = openPositions(await listPositionLegs(tx, thesis.id));
  const refusal = positionRefusal(open, input);
  if (refusal !== null) throw badRequest(refusal);
  const unhashed = {
    sequence: (head?.sequence ?? 0) + 1,
    id: randomUUID(),
    thesisId: thesis.id,
    kind: 'position' as const,
    action: input.action,
    instrument: input.instrument,
    price: input.price,
    currency: input.currency,
    sizeNote: input.sizeNote,
    note: input.note,
    occurredAt: input.occurredOn.toISOString(),
    recordedAt: now.toISOString(),
    alert: input.alert,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const entry: HashedPosition = { ...unhashed, hash: hashUpdate(unhashed) };
  await insertPosition(tx, entry, noteHtml);
  const alertsQueued = entry.alert ? await enqueuePositionAlerts(tx, thesis, entry, now) : 0;
  return { entry, alertsQueued };
}
