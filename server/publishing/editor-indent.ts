import type { ThesisContent } from './thesis-content.ts';

/**
 * The mark an old editor bug left on text it saved (Handlebars indented the partial holding the
 * textareas; fixed by `preventIndent` in http/views.ts): every save added two spaces to every line
 * of every textarea except the first, which sat right after `<textarea>` (and saving trims the
 * start of a text anyway). Blank lines gained the spaces too.
 */

const leadingSpaces = (line: string) => /^ */.exec(line)![0].length;

/**
 * The indentation the bug left on a text: the smallest of its non-blank lines after the first,
 * when all of them start with at least two spaces; 0 when the text does not look affected.
 */
export function editorIndentOf(text: string): number {
  const rest = text.split('\n').slice(1).filter((line) => line.trim() !== '');
  if (rest.length === 0) return 0;
  const indent = Math.min(...rest.map(leadingSpaces));
  return indent >= 2 ? indent : 0;
}

/** The text with the bug's indentation taken off every line after the first (unchanged if none). */
export function removeEditorIndent(text: string): string {
  const indent = editorIndentOf(text);
  if (indent === 0) return text;
  const [first, ...rest] = text.split('\n');
  return [first, ...rest.map((line) => line.slice(Math.min(indent, leadingSpaces(line))))].join('\n');
}

/** Rebuilds the content with `change` applied to each text the editor shows in a textarea, named for a report. */
function mapTextareas(content: ThesisContent, change: (text: string, field: string) => string): ThesisContent {
  return {
    ...content,
    publicBody: change(content.publicBody, 'publicBody'),
    stressTests: content.stressTests.map((item, index) => ({
      ...item,
      argument: change(item.argument, `stressTests ${index + 1} argument`),
      assumption: change(item.assumption, `stressTests ${index + 1} assumption`),
    })),
    signals: content.signals.map((signal, index) => ({ ...signal, description: change(signal.description, `signals ${index + 1} description`) })),
    memberSections: content.memberSections.map((section, index) => ({ ...section, body: change(section.body, `memberSections ${index + 1} body`) })),
    disclosureStatement: change(content.disclosureStatement, 'disclosureStatement'),
    footer: change(content.footer, 'footer'),
  };
}

export interface IndentedField {
  /** e.g. "publicBody", "memberSections 2 body" (rows counted from 1). */
  field: string;
  indent: number;
}

/** Every textarea field of a thesis that carries the bug's indentation. */
export function editorIndentedFields(content: ThesisContent): IndentedField[] {
  const found: IndentedField[] = [];
  mapTextareas(content, (text, field) => {
    const indent = editorIndentOf(text);
    if (indent > 0) found.push({ field, indent });
    return text;
  });
  return found;
}

/** The content with the bug's indentation removed from every textarea field. */
export function withoutEditorIndent(content: ThesisContent): ThesisContent {
  return mapTextareas(content, removeEditorIndent);
}
