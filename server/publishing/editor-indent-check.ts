import type { Db } from '../db/database.ts';
import { contentOf, listThesesForEditing } from './publishing.repo.ts';
import { changedParts } from './thesis-content.ts';
import { editorIndentedFields, withoutEditorIndent, type IndentedField } from './editor-indent.ts';
import { saveThesis, type Change } from './thesis-editing.ts';

export interface IndentedThesis {
  slug: string;
  fields: IndentedField[];
}

/**
 * `npm run thesis -- check-indent`: the stored theses whose textarea fields carry the old editor's
 * indentation (see editor-indent.ts). Given `fix`, saves each without it as an edit like any other:
 * one revision per thesis, which restoring the revision before undoes (the check cannot tell the
 * bug's indentation from a text genuinely indented after its first line).
 */
export async function checkEditorIndent(db: Db, { fix }: { fix: Change | null }): Promise<{ checked: number; indented: IndentedThesis[] }> {
  const theses = await listThesesForEditing(db);
  const indented: IndentedThesis[] = [];
  for (const stored of theses) {
    const content = contentOf(stored);
    const fields = editorIndentedFields(content);
    if (fields.length === 0) continue;
    indented.push({ slug: stored.slug, fields });
    if (!fix) continue;
    const repaired = withoutEditorIndent(content);
    await saveThesis(db, stored.slug, repaired, fix, `removed the editor's indentation from ${changedParts(content, repaired).join(', ')}`);
  }
  return { checked: theses.length, indented };
}
