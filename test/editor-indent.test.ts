import { describe, expect, it } from 'vitest';
import { editorIndentOf, removeEditorIndent } from '../server/publishing/editor-indent.ts';

// As written: a nested list and a Markdown code block carry indentation of their own.
const WRITTEN = '## Sizing\n\n- scout band\n  - at most 1%\n\n    band  size\n    core  2%\n\nLast line.';
// After two saves by the old editor: four more spaces on every line after the first, blank ones too.
const SAVED_TWICE = WRITTEN.split('\n').map((line, index) => (index === 0 ? line : `    ${line}`)).join('\n');

describe('The old editor indentation, told apart from a text\'s own', () => {
  it('When a text has indentation of its own on some lines only, then it is not taken for the editor\'s', () => {
    expect(editorIndentOf(WRITTEN)).toBe(0);
    expect(editorIndentOf('One line only')).toBe(0);
    expect(editorIndentOf('First\n one space is not what the editor added')).toBe(0);
    expect(removeEditorIndent(WRITTEN)).toBe(WRITTEN);
  });

  it('When every line after the first was shifted by the editor, then removing it gives the text back as written, own indentation kept', () => {
    expect(editorIndentOf(SAVED_TWICE)).toBe(4);
    expect(removeEditorIndent(SAVED_TWICE)).toBe(WRITTEN);
  });
});
