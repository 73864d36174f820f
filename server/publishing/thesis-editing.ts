import type { Db, Tx } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import {
  bumpRevision,
  contentOf,
  findRedirect,
  findRevision,
  findThesisForEditing,
  insertRevision,
  insertThesis,
  recordSlugChange,
  replaceContent,
  type StoredThesis,
} from './publishing.repo.ts';
import { membersSectionChanges, type EmbargoShortenedHook, type MembersSectionsHook } from './members-sections.ts';
import { recordWithdrawal, type RecordCheck } from './record-keeping.ts';
import { ContentError, changedParts, contentFromSnapshot, publishBlockers, type ThesisContent } from './thesis-content.ts';
import { statusOf } from './thesis-status.ts';

/** Who makes a change and when: every revision records both. */
export interface Change {
  authorEmail: string;
  at: Date;
  /** The editor's "Editorial fix" box: a change of a published members' section is recorded but not alerted. */
  editorial?: boolean;
  /** The editor's autosave (autosave.ts): saves a draft only; any other thesis is refused with a 409, nothing written. */
  autosave?: boolean;
  /** Set by `createThesisWrites` (thesis-writes.ts), never by a route: records members' section changes. */
  membersSectionsChanged?: MembersSectionsHook;
  /** Likewise: keeps the sooner reveal times of a shortened embargo. */
  embargoShortened?: EmbargoShortenedHook;
  /** Likewise: whether the thesis has entries on its record, whose embargo may then only be shortened. */
  hasRecord?: RecordCheck;
}

/**
 * Once a thesis has entries on its record, a longer embargo is refused: raised just before a losing
 * call, it would keep that call (and every later one) from the public for as long as the publisher
 * likes. A shorter one is always welcome. Before the first entry, the publisher sets it freely.
 */
async function embargoRefusal(tx: Tx, thesisId: string, before: ThesisContent, content: ThesisContent, change: Change): Promise<string | null> {
  if (content.recordEmbargoDays <= before.recordEmbargoDays || !change.hasRecord || !(await change.hasRecord(tx, thesisId))) return null;
  return (
    `recordEmbargoDays: this thesis has entries on its public track record, so its embargo can be shortened but not lengthened ` +
    `(now ${before.recordEmbargoDays} days): a longer one would hold back its next calls, losses included.`
  );
}

/** The record's next link was taken by a concurrent append (a signal update): the save is tried again. */
class RecordLinkTaken extends Error {}
const MAX_ATTEMPTS = 5;

/** A content problem the editor shows next to the form; nothing was saved. */
export class EditRefused extends ContentError {}

async function loadForChange(tx: Db | Tx, slug: string) {
  const stored = await findThesisForEditing(tx, slug);
  if (!stored) throw notFound('There is no thesis with that slug.');
  return stored;
}

/**
 * Takes the thesis's row lock before it is read for a change (a no-op UPDATE: SQLite and PostgreSQL
 * alike). On PostgreSQL transactions run side by side, so without it an autosave that read a draft
 * could write after a publish committed meanwhile (a published thesis changed by an autosave, its
 * members' sections unrecorded), or a publish could check blockers on text an autosave is replacing.
 * The second transaction waits here and then reads what the first committed.
 */
async function lockThesis(tx: Tx, slug: string): Promise<void> {
  await tx.$executeRaw`UPDATE "Thesis" SET "revision" = "revision" WHERE "slug" = ${slug}`;
}

async function assertSlugFree(tx: Tx, slug: string, thesisId: string | null) {
  const owner = await tx.thesis.findUnique({ where: { slug }, select: { id: true } });
  const redirect = await findRedirect(tx, slug);
  if ((owner && owner.id !== thesisId) || (redirect && redirect.thesisId !== thesisId)) {
    throw new EditRefused([`slug: "${slug}" is already used by another thesis`]);
  }
}

/**
 * Turns constraint failures into answers for the editor: a lost race on the slug's unique index,
 * and a removed signal whose history (status updates) the database will not let go of.
 */
async function guardSlugRace<T>(slug: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RecordLinkTaken) throw error;
    if (isUniqueViolation(error)) throw new EditRefused([`slug: "${slug}" is already used by another thesis`]);
    if (error instanceof Error && 'code' in error && (error as { code: unknown }).code === 'P2003') {
      throw new EditRefused(['signals: a removed signal already has status updates, so it cannot be deleted; keep it']);
    }
    throw error;
  }
}

export function createThesis(db: Db, content: ThesisContent, change: Change) {
  return guardSlugRace(content.slug, () =>
    db.$transaction(async (tx) => {
      await assertSlugFree(tx, content.slug, null);
      const created = await insertThesis(tx, content, change.at);
      await insertRevision(tx, { thesisId: created.id, number: created.revision, summary: 'created', content, ...revisionBy(change) });
      return { slug: content.slug };
    }),
  );
}

/** Saves new content over a thesis; a changed slug of a published or scheduled thesis leaves a 301 behind. */
export async function saveThesis(db: Db, slug: string, content: ThesisContent, change: Change, summary?: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await saveOnce(db, slug, content, change, summary);
    } catch (error) {
      if (!(error instanceof RecordLinkTaken) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/**
 * Once a thesis is published, members have read its sections: a change of one is appended to the
 * thesis's record (hash chain) in this transaction. A draft or scheduled thesis records nothing.
 */
async function recordMembersSections(tx: Tx, stored: StoredThesis, content: ThesisContent, change: Change) {
  if (!change.membersSectionsChanged || !stored.publishedAt || stored.publishedAt > change.at) return;
  const changes = membersSectionChanges(contentOf(stored).memberSections, content.memberSections);
  if (changes.length === 0) return;
  try {
    await change.membersSectionsChanged(tx, {
      thesis: { id: stored.id, slug: content.slug, title: content.title },
      changes,
      editorial: change.editorial ?? false,
      at: change.at,
    });
  } catch (error) {
    // Not a slug conflict (guardSlugRace would say so): another append won the record's next link.
    if (isUniqueViolation(error)) throw new RecordLinkTaken('the record moved on during the save');
    throw error;
  }
}

/**
 * An autosave saves drafts only: a saved change of a published thesis's members' section goes on its
 * record and alerts members, which only the publisher's Save may do. Checked in the save's transaction,
 * on the change's clock, so a thesis published (or reaching its scheduled time) while the writer typed
 * is refused too.
 */
function refuseUnlessDraft(stored: StoredThesis, at: Date) {
  const status = statusOf(stored, at);
  if (status !== 'draft') throw new HttpError(409, `This thesis is ${status}, not a draft: it is saved only when you press Save.`, 'Not saved');
}

function saveOnce(db: Db, slug: string, content: ThesisContent, change: Change, summary?: string) {
  return guardSlugRace(content.slug, () =>
    db.$transaction(async (tx) => {
      await lockThesis(tx, slug);
      const stored = await loadForChange(tx, slug);
      if (change.autosave) refuseUnlessDraft(stored, change.at);
      const before = contentOf(stored);
      const changed = changedParts(before, content);
      // Nothing changed (a re-import, a restore of the current text): no new revision.
      if (changed.length === 0) return { slug, changed, draft: stored.publishedAt === null };
      if (content.slug !== slug) {
        await assertSlugFree(tx, content.slug, stored.id);
        // Only an address the public was given is kept as a 301 (published or scheduled, now or before
        // an unpublish): a never-published draft's slugs, half-typed ones caught by autosave among them,
        // must not hold slugs for good.
        if (stored.publishedAt || (await wasUnpublished(tx, stored.id))) await recordSlugChange(tx, stored.id, slug, content.slug, change.at);
      }
      // A live thesis must keep what publishing required.
      const blockers = stored.publishedAt && !stored.archivedAt ? publishBlockers(content) : [];
      if (blockers.length > 0) throw new EditRefused(blockers);
      const embargoProblem = await embargoRefusal(tx, stored.id, before, content, change);
      if (embargoProblem) throw new EditRefused([embargoProblem]);
      const updated = await replaceContent(tx, stored.id, content, change.at);
      await recordMembersSections(tx, stored, content, change);
      if (change.embargoShortened && content.recordEmbargoDays < before.recordEmbargoDays) {
        await change.embargoShortened(tx, stored.id, content.recordEmbargoDays);
      }
      await insertRevision(tx, {
        thesisId: stored.id,
        number: updated.revision,
        summary: summary ?? `edited ${changed.join(', ')}${change.autosave ? ' (autosaved)' : ''}`,
        content,
        ...revisionBy(change),
      });
      return { slug: content.slug, changed, draft: stored.publishedAt === null };
    }),
  );
}

/** Puts an earlier revision's content back, as a new revision (history is never rewritten). */
export async function restoreRevision(db: Db, slug: string, number: number, change: Change) {
  const stored = await loadForChange(db, slug);
  const revision = await findRevision(db, stored.id, number);
  if (!revision) throw notFound('There is no such revision of this thesis.');
  const content = contentFromSnapshot(revision.snapshot);
  // A snapshot from before the record embargo keeps today's: the default could reveal what a longer one holds back.
  if (!('recordEmbargoDays' in JSON.parse(revision.snapshot))) content.recordEmbargoDays = stored.recordEmbargoDays;
  if (!('taxBehavior' in JSON.parse(revision.snapshot))) content.taxBehavior = contentOf(stored).taxBehavior;
  // Signals removed since then come back as new rows; ids of signals that still exist are kept.
  const liveIds = new Set(contentOf(stored).signals.map((signal) => signal.id));
  content.signals = content.signals.map((signal) => ({ ...signal, id: signal.id && liveIds.has(signal.id) ? signal.id : null }));
  return saveThesis(db, slug, content, change, `restored revision ${number}`);
}

export type StatusAction = 'publish' | 'schedule' | 'unpublish' | 'archive' | 'unarchive';

/** A status change also asks whether the thesis has a record, which unpublishing must keep. */
export type StatusChange = Change & { hasRecord: RecordCheck };

/** Publish now, schedule, unpublish, archive or unarchive; each one is a revision too. */
export async function changeStatus(db: Db, slug: string, action: StatusAction, change: StatusChange, publishAt?: Date) {
  return db.$transaction(async (tx) => {
    await lockThesis(tx, slug);
    const stored = await loadForChange(tx, slug);
    const content = contentOf(stored);
    if (action === 'unpublish' || action === 'schedule') {
      const withdrawal = await recordWithdrawal(tx, stored, action, change.at, change.hasRecord);
      if (withdrawal !== null) throw new EditRefused([withdrawal]);
    }
    let data: { publishedAt?: Date | null; archivedAt?: Date | null };
    let summary: string;
    if (action === 'publish' || action === 'schedule') {
      const blockers = publishBlockers(content);
      if (blockers.length > 0) throw new EditRefused(blockers);
      if (action === 'schedule' && (!publishAt || publishAt <= change.at)) throw badRequest('Choose a publication date and time in the future.');
      data = { publishedAt: action === 'publish' ? change.at : publishAt, archivedAt: null };
      summary = action === 'publish' ? 'published' : `scheduled for ${publishAt!.toISOString()}`;
    } else if (action === 'unpublish') {
      data = { publishedAt: null, archivedAt: null };
      summary = UNPUBLISHED;
    } else if (action === 'archive') {
      if (!stored.publishedAt) throw new HttpError(409, 'Only a published thesis can be archived; delete nothing, just leave the draft.', 'Not archived');
      data = { archivedAt: change.at };
      summary = 'archived';
    } else {
      data = { archivedAt: null };
      summary = 'unarchived';
    }
    const updated = await bumpRevision(tx, stored.id, data, change.at);
    await insertRevision(tx, { thesisId: stored.id, number: updated.revision, summary, content, ...revisionBy(change) });
  });
}

/** The revision an unpublish writes; its presence means the thesis was published or scheduled once. */
const UNPUBLISHED = 'unpublished (back to draft)';
const wasUnpublished = async (tx: Tx, thesisId: string) => (await tx.thesisRevision.count({ where: { thesisId, summary: UNPUBLISHED } })) > 0;

function revisionBy(change: Change) {
  return { authorEmail: change.authorEmail, at: change.at };
}
