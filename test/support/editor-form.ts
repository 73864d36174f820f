/**
 * Reads a form the way a browser submits it, from the HTML a page served, so a test can press
 * "Save" without touching anything. Covers what our views use: inputs (radios only when checked),
 * textareas and selects; good enough for our own markup, not a general HTML parser.
 */

const FIELD = /<input\b([^>]*)>|<textarea\b([^>]*)>([\s\S]*?)<\/textarea>|<select\b([^>]*)>([\s\S]*?)<\/select>/g;
const OPTION = /<option\b([^>]*)>/g;

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

/**
 * The name/value pairs a browser would send for the form whose action is `action`, in page order.
 * Textarea newlines go as CRLF, as browsers send them (HTML's form submission rules).
 */
export function submittedFields(html: string, action: string): [string, string][] {
  const start = html.indexOf(`<form method="post" action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const pairs: [string, string][] = [];
  for (const [, input, textarea, content, select, options] of form.matchAll(FIELD)) {
    const attrs = attributes(input ?? textarea ?? select);
    const name = attrs.get('name');
    if (!name) continue;
    if (input !== undefined) {
      const type = attrs.get('type') ?? 'text';
      if ((type === 'radio' || type === 'checkbox') && !attrs.has('checked')) continue;
      pairs.push([name, attrs.get('value') ?? '']);
    } else if (textarea !== undefined) {
      pairs.push([name, textareaValue(content).replace(/\r?\n/g, '\r\n')]);
    } else {
      const all = [...options.matchAll(OPTION)].map(([, optionAttrs]) => attributes(optionAttrs));
      const chosen = all.find((option) => option.has('selected')) ?? all[0];
      if (chosen) pairs.push([name, chosen.get('value') ?? '']);
    }
  }
  return pairs;
}
