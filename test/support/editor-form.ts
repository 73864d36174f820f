/**
 * Reads form fields the way a browser holds them, from the HTML a page served. Good enough for our
 * own markup, not a general HTML parser.
 */

/** What Handlebars' escapeExpression writes, read back. */
export function decodeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot);/gi, (_entity, code: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
    if (named[code.toLowerCase()]) return named[code.toLowerCase()];
    return String.fromCodePoint(code[1].toLowerCase() === 'x' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10));
  });
}

function attributes(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name, value] of source.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) found.set(name, decodeHtml(value ?? ''));
  return found;
}

/** A textarea's text as the browser holds it: the HTML parser drops one newline right after the tag. */
export function textareaValue(content: string): string {
  return decodeHtml(content).replace(/^\n/, '');
}

/** Every textarea's value by name, in page order (repeated names: one entry per row). */
export function textareaValues(html: string): [string, string][] {
  return [...html.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)].map(([, attrs, content]) => [
    attributes(attrs).get('name') ?? '',
    textareaValue(content),
  ]);
}
