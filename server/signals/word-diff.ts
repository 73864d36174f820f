import { diffWordsWithSpace } from 'diff';

/** One run of a word-level diff: text both versions share, or text the new one added or removed. */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** What changed from `before` to `after`, word by word (jsdiff), whitespace kept as written. */
export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWordsWithSpace(before, after).map((change) => ({
    kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
    text: change.value,
  }));
}
