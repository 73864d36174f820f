import Handlebars from 'handlebars';
import { renderMarkdown } from '../catalog/markdown.ts';
import { badRequest } from '../http/errors.ts';

// Deeper than any real note; marked recurses once per level, and 19,000 nested quotes overflow its stack.
const MAX_QUOTE_DEPTH = 10;
const MAX_LIST_DEPTH = 10;

const QUOTE_MARKERS = /^(?: {0,3}>)+/;
const LIST_ITEM = /^( *)(?:[-*+]|\d{1,9}[.)])(?: |$)/;

/** How deeply the note's quotes and lists nest, read from the line starts (before marked sees them). */
function nestingProblem(markdown: string): string | null {
  for (const line of markdown.split('\n')) {
    const quotes = (QUOTE_MARKERS.exec(line)?.[0].match(/>/g) ?? []).length;
    if (quotes > MAX_QUOTE_DEPTH) return `quotes nest ${quotes} deep (at most ${MAX_QUOTE_DEPTH})`;
    const indent = LIST_ITEM.exec(line.replace(/^(?: {0,3}> ?)+/, '').replace(/\t/g, '    '))?.[1].length ?? 0;
    if (indent / 2 > MAX_LIST_DEPTH) return `lists nest more than ${MAX_LIST_DEPTH} deep`;
  }
  return null;
}

/**
 * A signal note, rendered and sanitised once when it is recorded; the HTML is stored beside the
 * Markdown, so no page view renders it again (a 10,000-"_a" note costs most of a second). A note that
 * nests too deeply or that the renderer cannot handle is refused here, with the reason, and changes nothing.
 */
export function renderNote(markdown: string): string {
  const problem = nestingProblem(markdown);
  if (problem) throw badRequest(`This note cannot be recorded: its ${problem}. Please simplify it.`);
  try {
    return renderMarkdown(markdown);
  } catch {
    throw badRequest('This note cannot be recorded: its Markdown could not be rendered. Please simplify it.');
  }
}

/**
 * For a note already in the record without its HTML (recorded before it was stored): the record is
 * append-only, so a note that cannot be rendered is shown as plain text rather than break the board.
 */
export function renderStoredNote(markdown: string): string {
  try {
    return renderNote(markdown);
  } catch {
    return `<p>${Handlebars.escapeExpression(markdown)}</p>`;
  }
}
