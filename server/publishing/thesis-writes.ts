import type { Db } from '../db/database.ts';
import type { CatalogCaches } from '../catalog/catalog-caches.ts';
import { changeStatus, createThesis, restoreRevision, saveThesis, type Change, type StatusAction } from './thesis-editing.ts';
import { importThesis } from './markdown-file.ts';
import { checkEditorIndent } from './editor-indent-check.ts';
import type { RecordHooks } from './members-sections.ts';

export type ThesisWrites = ReturnType<typeof createThesisWrites>;

/**
 * Every write of thesis content, as the admin area and `npm run thesis` make it: each tells the
 * catalog's caches (here and, through the change bus, on every instance) once it is over. Also
 * after a failure: a write of several theses (check-indent --fix) may have committed some. Not after
 * a save of a draft, which no public page or cache shows.
 *
 * `record.membersSectionsChanged` records a change of a published thesis's members' sections on its
 * hash-chained record, inside the save's transaction (`record.embargoShortened` likewise keeps a
 * shortened embargo's reveal times). They belong to signals, which sits above publishing in the
 * feature order, so publishing cannot import them: `server/deps.ts` passes them in.
 * Every path that can change those rows (save, restore, import, check-indent --fix) saves through
 * `saveThesis` with this hook in its Change; the indentation fix is recorded as editorial.
 *
 * `record.hasRecord` (signals too) lets a status change refuse to unpublish or re-schedule a thesis whose
 * record the public has read (record-keeping.ts). Only status changes move `publishedAt`: content,
 * revisions and Markdown files carry no publication state.
 */
export function createThesisWrites(db: Db, catalog: Pick<CatalogCaches, 'contentChanged'>, record: RecordHooks) {
  const recorded = (change: Change): Change => ({
    ...change,
    membersSectionsChanged: record.membersSectionsChanged,
    embargoShortened: record.embargoShortened,
    hasRecord: record.hasRecord,
  });
  const announced =
    <A extends unknown[], R>(write: (db: Db, ...args: A) => Promise<R>, unseen: (result: R) => boolean = () => false) =>
    async (...args: A): Promise<R> => {
      let result: R | undefined;
      try {
        return (result = await write(db, ...args));
      } finally {
        if (result === undefined || !unseen(result)) await catalog.contentChanged();
      }
    };
  // A draft is on no public page or cache: saving one (autosave does every few seconds) empties nothing.
  const draftSaved = (saved: { draft: boolean }) => saved.draft;
  return {
    createThesis: announced(createThesis),
    saveThesis: announced(
      (db: Db, slug: string, content: Parameters<typeof saveThesis>[2], change: Change, summary?: string) => saveThesis(db, slug, content, recorded(change), summary),
      draftSaved,
    ),
    restoreRevision: announced((db: Db, slug: string, number: number, change: Change) => restoreRevision(db, slug, number, recorded(change))),
    changeStatus: announced((db: Db, slug: string, action: StatusAction, change: Change, publishAt?: Date) =>
      changeStatus(db, slug, action, { ...change, hasRecord: record.hasRecord }, publishAt),
    ),
    importThesis: announced((db: Db, file: string, change: Change) => importThesis(db, file, recorded(change))),
    /** For the editor: a thesis with a record offers Archive, not Unpublish (record-keeping.ts). */
    hasRecord: (thesisId: string) => record.hasRecord(db, thesisId),
    checkEditorIndent: announced((db: Db, { fix }: { fix: Change | null }) =>
      checkEditorIndent(db, { fix: fix && recorded({ ...fix, editorial: true }) }),
    ),
  };
}
