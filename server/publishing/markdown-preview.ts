import { renderMarkdown } from '../catalog/markdown.ts';
import { badRequest } from '../http/errors.ts';

/** The longest Markdown field the editor has (the public body, thesis-content.ts). */
export const MAX_PREVIEW_LENGTH = 200_000;

/**
 * The editor's Write/Preview tabs: one field's Markdown → the HTML readers would get, through the
 * public page's own renderer and sanitiser (catalog/markdown.ts), so the preview cannot show markup
 * the site would strip, nor run script in the publisher's browser. Reads and writes nothing.
 */
export function markdownPreview(markdown: unknown): { html: string } {
  if (typeof markdown !== 'string') throw badRequest('Send the Markdown to preview as one text field named "markdown".');
  if (markdown.length > MAX_PREVIEW_LENGTH) {
    throw badRequest(`This text is too long to preview: at most ${MAX_PREVIEW_LENGTH.toLocaleString('en-CA')} characters.`);
  }
  return { html: renderMarkdown(markdown) };
}
