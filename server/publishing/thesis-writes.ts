import type { Db } from '../db/database.ts';
import type { CatalogCaches } from '../catalog/catalog-caches.ts';
import { changeStatus, createThesis, restoreRevision, saveThesis } from './thesis-editing.ts';
import { importThesis } from './markdown-file.ts';
import { checkEditorIndent } from './editor-indent-check.ts';

export type ThesisWrites = ReturnType<typeof createThesisWrites>;

/**
 * Every write of thesis content, as the admin area and `npm run thesis` make it: each tells the
 * catalog's caches (here and, through the change bus, on every instance) once it is over. Also
 * after a failure: a write of several theses (check-indent --fix) may have committed some.
 */
export function createThesisWrites(db: Db, catalog: Pick<CatalogCaches, 'contentChanged'>) {
  const announced =
    <A extends unknown[], R>(write: (db: Db, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await write(db, ...args);
      } finally {
        await catalog.contentChanged();
      }
    };
  return {
    createThesis: announced(createThesis),
    saveThesis: announced(saveThesis),
    restoreRevision: announced(restoreRevision),
    changeStatus: announced(changeStatus),
    importThesis: announced(importThesis),
    checkEditorIndent: announced(checkEditorIndent),
  };
}
