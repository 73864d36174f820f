import type { Tx } from '../db/database.ts';
import type { ThesisContent } from './thesis-content.ts';
import type { RecordCheck } from './record-keeping.ts';
import { sectionKeys } from '../catalog/section-keys.ts';

type Section = ThesisContent['memberSections'][number];

/** One members' section whose text a save changed (added and removed sections included: their other side is ''). */
export interface MemberSectionChange {
  /** Stable within a thesis while the title stays: the slug of the title (with -2, -3… for repeats). */
  key: string;
  title: string;
  text: string;
  previousText: string;
}

export interface MembersSectionsChanged {
  thesis: { id: string; slug: string; title: string };
  changes: MemberSectionChange[];
  /** A typo or wording fix: recorded and shown, but members are not alerted. */
  editorial: boolean;
  at: Date;
}

/**
 * Called inside the save's transaction when a published thesis's members' sections change, so the
 * record and the content commit together or not at all. Implemented by signals (the hash-chained
 * record); publishing sits below signals in the feature order and so only knows this shape, and
 * `server/deps.ts` passes the implementation to `createThesisWrites`.
 */
export type MembersSectionsHook = (tx: Tx, event: MembersSectionsChanged) => Promise<void>;

/**
 * Called inside the save's transaction when a thesis's record embargo is shortened: entries already
 * recorded come out sooner, and their reveal times are kept so (a later, longer embargo applies only
 * to entries recorded after it). Implemented by signals, like MembersSectionsHook.
 */
export type EmbargoShortenedHook = (tx: Tx, thesisId: string, embargoDays: number) => Promise<void>;

/** What publishing tells the record about a save; `server/deps.ts` passes signals' implementations. */
export interface RecordHooks {
  membersSectionsChanged: MembersSectionsHook;
  embargoShortened: EmbargoShortenedHook;
  hasRecord: RecordCheck;
}

/** What members read of a section, as one text: the diff and the digest are of this. */
export function sectionText(section: Section): string {
  return [section.title, section.summary, section.body].filter((part) => part.trim() !== '').join('\n\n');
}

/**
 * The sections whose text differs. A section keeps its key (its title's slug) from one save to the
 * next, so sections are matched by key first: removing or inserting one does not make every section
 * after it look rewritten from its neighbour's text. Those left unmatched on both sides are paired by
 * position among themselves (the editor's rows): a renamed section is a change of the section at that
 * place. The key is the new title's (the old one's for a removed section).
 */
export function membersSectionChanges(before: readonly Section[], after: readonly Section[]): MemberSectionChange[] {
  const beforeKeys = sectionKeys(before);
  const afterKeys = sectionKeys(after);
  const beforeByKey = new Map(beforeKeys.map((key, i) => [key, i]));
  const afterKeySet = new Set(afterKeys);
  const unmatchedBefore = before.map((_, i) => i).filter((i) => !afterKeySet.has(beforeKeys[i]));
  const pairs: [number | undefined, number | undefined][] = [];
  for (let j = 0; j < after.length; j++) {
    const i = beforeByKey.get(afterKeys[j]);
    pairs.push([i ?? unmatchedBefore.shift(), j]);
  }
  for (const i of unmatchedBefore) pairs.push([i, undefined]);
  const changes: MemberSectionChange[] = [];
  for (const [i, j] of pairs) {
    const previousText = i === undefined ? '' : sectionText(before[i]);
    const text = j === undefined ? '' : sectionText(after[j]);
    if (text === previousText) continue;
    changes.push({ key: j === undefined ? beforeKeys[i!] : afterKeys[j], title: (j === undefined ? before[i!] : after[j]).title, text, previousText });
  }
  return changes;
}
