import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/database.ts';
import type { MembersSectionsChanged } from '../publishing/members-sections.ts';
import { randomBytes } from 'node:crypto';
import { GENESIS_HASH, hashUpdate, sectionTextDigest, type HashedSectionChange } from './hash-chain.ts';
import { findChainHead, insertSectionChange } from './signal-log.repo.ts';
import { enqueueSectionAlerts } from './signal-alerts.ts';

/**
 * The members' side of a save (publishing's `MembersSectionsHook`): each changed section of a
 * published thesis becomes one link of the thesis's record, in the save's transaction. A concurrent
 * signal update that takes the same link makes the insert fail on (thesisId, sequence); the save is
 * then tried again whole (thesis-editing.ts), so the chain never forks.
 */
export async function recordMembersSectionChanges(tx: Tx, event: MembersSectionsChanged): Promise<void> {
  const entries = await appendSectionChanges(tx, event);
  // An editorial fix (typo, wording) is on the record and shown, but members are not alerted.
  if (!event.editorial) await enqueueSectionAlerts(tx, event.thesis, entries, event.at);
}

/** 128 random bits as 32 hex digits: a salt for one text's digest. */
const newSalt = () => randomBytes(16).toString('hex');

async function appendSectionChanges(tx: Tx, event: MembersSectionsChanged): Promise<HashedSectionChange[]> {
  const recorded: HashedSectionChange[] = [];
  for (const change of event.changes) {
    const head = await findChainHead(tx, event.thesis.id);
    const [textSalt, previousTextSalt] = [newSalt(), newSalt()];
    const unhashed = {
      sequence: (head?.sequence ?? 0) + 1,
      id: randomUUID(),
      thesisId: event.thesis.id,
      kind: 'section' as const,
      sectionKey: change.key,
      sectionTitle: change.title,
      textSha256: sectionTextDigest(change.text, textSalt),
      previousTextSha256: sectionTextDigest(change.previousText, previousTextSalt),
      editorial: event.editorial,
      recordedAt: event.at.toISOString(),
      alert: !event.editorial,
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const entry: HashedSectionChange = { ...unhashed, hash: hashUpdate(unhashed), text: change.text, previousText: change.previousText, textSalt, previousTextSalt };
    await insertSectionChange(tx, entry);
    recorded.push(entry);
  }
  return recorded;
}
