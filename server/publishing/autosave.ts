import type { NextFunction, Request, Response } from 'express';
import { answerErrorsAsJson } from '../http/error-handler.ts';
import { ContentError } from './thesis-content.ts';
import type { Change } from './thesis-editing.ts';
import type { ThesisWrites } from './thesis-writes.ts';
import { contentFromForm, type FormBody } from './thesis-form.ts';
import { humanTime } from './saved-time.ts';

/**
 * Autosave: the editor's script (public/editor-autosave.js) posts the whole form to the save route
 * with `autosave=1` a few seconds after the writer stops typing. It is a save like any other (same
 * validation, same `saveThesis`, same CSRF check and admin gate, a revision when something changed),
 * answered in JSON, and for drafts only: once a thesis is published, a saved change of a members'
 * section goes on its public record and alerts members, which only the publisher's own Save may do.
 * `saveThesis` enforces that in its transaction (`Change.autosave`), so a thesis published in another
 * tab between two keystrokes is refused too (409), not just hidden from the script.
 */
export const isAutosave = (body: FormBody | undefined): boolean => body?.autosave === '1';

/**
 * Errors of an autosave (a 404, the 409 for a thesis that is no longer a draft) go back as JSON: a
 * script reads them. Generic so the route keeps its typed `:slug`.
 */
export function autosaveErrorsAsJson<Params>(req: Request<Params>, res: Response, next: NextFunction): void {
  if (isAutosave(req.body)) answerErrorsAsJson(req as Request, res, next);
  else next();
}

export type AutosaveAnswer =
  | { status: 200; body: { saved: boolean; slug: string; savedAt: string; savedText: string } }
  | { status: 400; body: { problems: string[] } };

/** Saves the editor's form as an autosave: what was saved and when, in words for the bar, or the problems (nothing written). */
export async function autosaveThesis(saveThesis: ThesisWrites['saveThesis'], slug: string, body: FormBody, change: Change): Promise<AutosaveAnswer> {
  try {
    const saved = await saveThesis(slug, contentFromForm(body), { ...change, autosave: true });
    const changed = saved.changed.length > 0;
    return {
      status: 200,
      body: {
        saved: changed,
        slug: saved.slug,
        savedAt: change.at.toISOString(),
        // As the bar says after Save (saved-time.ts): only a save that changed something says "saved".
        savedText: changed ? `Autosaved ${humanTime(change.at, change.at)}` : 'No changes to save.',
      },
    };
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    return { status: 400, body: { problems: error.problems } };
  }
}
