/** Words of a Markdown text, roughly: runs of letters or digits (Markdown punctuation is not counted). */
export function countWords(markdown: string): number {
  return markdown.match(/[\p{L}\p{N}]+(?:['\u2019.,-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

const wholeNumber = new Intl.NumberFormat('en-CA');

/** "1 word", "5,012 words": the editor's counts as the server renders them (public/editor.js keeps them live). */
export const wordsText = (words: number) => `${wholeNumber.format(words)} ${words === 1 ? 'word' : 'words'}`;

/** "about 1,200 words": a buyer wants the size of a section, not a count to the word. */
export function aboutWords(words: number): string {
  if (words === 0) return 'not written yet';
  const step = words >= 1000 ? 100 : 10;
  const rounded = Math.max(step, Math.round(words / step) * step);
  return `about ${wholeNumber.format(rounded)} words`;
}
