import { Router, type Request, type Response } from 'express';
import type { Platform } from '../ops/platform.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { formatPrice } from '../http/money.ts';
import { renderPublicLayer, thesisPageLocals } from '../catalog/thesis-page.ts';
import { findMembersLayer, findPublicLayer } from '../catalog/thesis.repo.ts';
import { membersLayerView } from '../catalog/thesis-view.ts';
import { contentOf, findThesisForEditing, listRevisions, listThesesWithSales } from './publishing.repo.ts';
import { ContentError, blankContent, publishBlockers } from './thesis-content.ts';
import type { StatusAction } from './thesis-editing.ts';
import type { ThesisWrites } from './thesis-writes.ts';
import { contentFromForm, editorialOf, formValues, formValuesAsTyped, type FormBody } from './thesis-form.ts';
import { statusOf } from './thesis-status.ts';
import { exportThesisBySlug } from './markdown-file.ts';
import { humanTime, saveMessage } from './saved-time.ts';
import { editorProblems, withRowErrors } from './field-problems.ts';
import { autosaveErrorsAsJson, autosaveThesis, isAutosave } from './autosave.ts';
import { markdownPreview } from './markdown-preview.ts';

const STATUS_ACTIONS = new Set<StatusAction>(['publish', 'schedule', 'unpublish', 'archive', 'unarchive']);

/** Steps that take a thesis off the public site, put it back on sale or replace its text: asked once more before they happen. */
const CONFIRM: Partial<Record<StatusAction, { question: string; explanation: string; button: string }>> = {
  unpublish: { question: 'Unpublish this thesis?', explanation: 'It goes back to draft: visitors and members no longer find it until you publish it again.', button: 'Unpublish' },
  archive: { question: 'Archive this thesis?', explanation: 'It leaves the catalogue, the feed and the sitemap and is no longer sold; its page and members\' layer stay readable.', button: 'Archive' },
  unarchive: { question: 'Unarchive this thesis?', explanation: 'If it was published, it returns to the catalogue, the feed and the sitemap and is sold again at its price.', button: 'Unarchive' },
};
const confirmed = (body: FormBody) => body.confirm === 'yes';

/** /admin/theses…: the publisher writes, previews, schedules, publishes, archives, imports and exports. */
export function publishingRoutes({ db, clock, config, mailQueued, thesisWrites }: Platform & { thesisWrites: ThesisWrites }): Router {
  const router = Router();
  const { changeStatus, createThesis, importThesis, restoreRevision, saveThesis } = thesisWrites;
  const site = { appUrl: config.appUrl, publisherName: config.publisherName };
  const change = (res: Response) => ({ authorEmail: res.locals.admin.email as string, at: clock.now() });

  async function renderEditor(req: Request, res: Response, slug: string, problems: string[] = [], typed?: FormBody) {
    const stored = await findThesisForEditing(db, slug);
    if (!stored) throw notFound('There is no thesis with that slug.');
    const content = contentOf(stored);
    const now = clock.now();
    const status = statusOf(stored, now);
    const live = status === 'published' || status === 'archived';
    const shown = editorProblems(problems);
    res.status(problems.length > 0 ? 400 : 200).render('admin/thesis-edit', {
      title: `Edit: ${stored.title}`,
      slug: stored.slug,
      status,
      // changeStatus refuses these anyway; the editor just does not offer them.
      recordKept: live && (await thesisWrites.hasRecord(stored.id)),
      archived: stored.archivedAt !== null,
      publishedAt: stored.publishedAt,
      publishedAtText: stored.publishedAt ? humanTime(stored.publishedAt, now) : null,
      // The bar offers the one publishing step that fits: a published or archived thesis needs none.
      canPublish: status === 'draft' || status === 'scheduled',
      // Drafts save themselves as the writer types (public/editor-autosave.js); the server refuses the rest anyway.
      autosave: status === 'draft',
      updatedAt: stored.updatedAt,
      lastSaved: humanTime(stored.updatedAt, now),
      revision: stored.revision,
      blockers: publishBlockers(content),
      problems: shown.summary,
      errors: shown.errors,
      saveMessage: problems.length > 0 ? null : saveMessage(req.query, stored.updatedAt, now),
      form: withRowErrors(typed ? formValuesAsTyped(typed) : formValues(content), shown.rows),
    });
  }

  router.get('/theses', async (_req, res) => {
    const now = clock.now();
    const theses = await listThesesWithSales(db);
    res.render('admin/theses', {
      title: 'Theses',
      theses: theses.map((thesis) => ({
        ...thesis,
        status: statusOf(thesis, now),
        revenue: thesis.revenue.map((row) => formatPrice(row.amount, row.currency)).join(', ') || '—',
      })),
    });
  });

  router.get('/theses/new', (_req, res) => {
    res.render('admin/thesis-new', { title: 'New thesis', form: formValues(blankContent()) });
  });

  router.post('/theses/new', async (req, res) => {
    try {
      const { slug } = await createThesis(contentFromForm(req.body), change(res));
      res.redirect(303, `/admin/theses/${slug}?saved=1`);
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      const shown = editorProblems(error.problems);
      res.status(400).render('admin/thesis-new', {
        title: 'New thesis',
        problems: shown.summary,
        errors: shown.errors,
        form: withRowErrors(formValuesAsTyped(req.body), shown.rows),
      });
    }
  });

  router.get('/theses/import', (_req, res) => {
    res.render('admin/thesis-import', { title: 'Import a thesis' });
  });

  router.post('/theses/import', async (req, res) => {
    const file = typeof req.body.file === 'string' ? req.body.file : '';
    if (!file.trim()) throw badRequest('Choose a Markdown file (or paste its text) to import.');
    try {
      const { slug } = await importThesis(file, change(res));
      mailQueued(); // a members' section changed after publication may have queued alerts
      res.redirect(303, `/admin/theses/${slug}?saved=1`);
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      res.status(400).render('admin/thesis-import', { title: 'Import a thesis', problems: error.problems, file });
    }
  });

  // The editor's Preview tab (public/editor-preview.js). Behind the admin gate and the CSRF check like
  // every admin POST; the `.json` ending makes the error handler answer JSON even for their refusals,
  // and no slug can take this address (slugs have no dot).
  router.post('/theses/markdown-preview.json', (req, res) => {
    res.json(markdownPreview(req.body?.markdown));
  });

  router.get('/theses/:slug', (req, res) => renderEditor(req, res, req.params.slug));

  router.post('/theses/:slug', autosaveErrorsAsJson, async (req, res) => {
    if (isAutosave(req.body)) {
      // A draft records and alerts nothing, so no mail to wake the outbox for.
      const answer = await autosaveThesis(saveThesis, req.params.slug, req.body, change(res));
      return res.status(answer.status).json(answer.body);
    }
    try {
      const editorial = editorialOf(req.body);
      const { slug, changed } = await saveThesis(req.params.slug, contentFromForm(req.body), { ...change(res), editorial });
      mailQueued(); // a members' section changed after publication may have queued alerts
      // saveThesis writes nothing when nothing changed; saying "Saved" then would be untrue.
      res.redirect(303, `/admin/theses/${slug}?${changed.length > 0 ? 'saved=1' : 'unchanged=1'}`);
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      await renderEditor(req, res, req.params.slug, error.problems, req.body);
    }
  });

  router.post('/theses/:slug/status', async (req, res) => {
    const action = req.body.action as StatusAction;
    if (!STATUS_ACTIONS.has(action)) throw badRequest('Unknown action.');
    const publishAt = parsePublishAt(req.body.publishAt);
    const ask = CONFIRM[action];
    if (ask && !confirmed(req.body)) {
      const fields = [{ name: 'action', value: action }];
      return res.render('admin/confirm', { title: ask.question, ...ask, slug: req.params.slug, action: `/admin/theses/${req.params.slug}/status`, fields });
    }
    try {
      await changeStatus(req.params.slug, action, change(res), publishAt);
      res.redirect(303, `/admin/theses/${req.params.slug}?saved=1`);
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      await renderEditor(req, res, req.params.slug, error.problems);
    }
  });

  // Exactly what a visitor or a member will see: the site's own renderer and template.
  router.get('/theses/:slug/preview', async (req, res) => {
    const stored = await findThesisForEditing(db, req.params.slug);
    const thesis = stored && (await findPublicLayer(db, stored.id));
    if (!thesis) throw notFound('There is no thesis with that slug.');
    const asMember = req.query.as === 'member';
    const members = asMember ? membersLayerView(await findMembersLayer(db, thesis.id), thesis.slug) : null;
    res.render('thesis', { ...thesisPageLocals(renderPublicLayer(thesis, site), members, config.stripe !== undefined, config.checkout.automaticTax), preview: asMember ? 'a member' : 'a visitor' });
  });

  router.get('/theses/:slug/revisions', async (req, res) => {
    const stored = await findThesisForEditing(db, req.params.slug);
    if (!stored) throw notFound('There is no thesis with that slug.');
    const revisions = await listRevisions(db, stored.id);
    res.render('admin/thesis-revisions', {
      title: `Revisions: ${stored.title}`,
      slug: stored.slug,
      revisions: revisions.map((revision) => ({ ...revision, current: revision.number === stored.revision })),
    });
  });

  router.post('/theses/:slug/revisions/:number/restore', async (req, res) => {
    const number = Number(req.params.number);
    if (!Number.isInteger(number) || number < 1) throw notFound('There is no such revision of this thesis.');
    if (!confirmed(req.body)) {
      return res.render('admin/confirm', {
        title: `Restore revision ${number}?`,
        question: `Restore revision ${number}?`,
        explanation: 'Its content replaces the current text as a new revision; the current text stays in the history.',
        button: 'Restore',
        slug: req.params.slug,
        action: `/admin/theses/${req.params.slug}/revisions/${number}/restore`,
        fields: [],
      });
    }
    try {
      const { slug } = await restoreRevision(req.params.slug, number, change(res));
      mailQueued(); // a members' section changed after publication may have queued alerts
      res.redirect(303, `/admin/theses/${slug}?saved=1`);
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      await renderEditor(req, res, req.params.slug, error.problems);
    }
  });

  router.get('/theses/:slug/export', async (req, res) => {
    const file = await exportThesisBySlug(db, req.params.slug);
    if (file === null) throw notFound('There is no thesis with that slug.');
    res.type('text/markdown; charset=utf-8').attachment(`${req.params.slug}.md`).send(file);
  });

  return router;
}

/** The schedule form's datetime-local value, read as UTC (the form says so). */
function parsePublishAt(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const date = new Date(`${value}${value.length === 16 ? ':00' : ''}Z`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) || Number.isNaN(date.getTime())) {
    throw badRequest('Write the publication time as YYYY-MM-DDTHH:MM (UTC).');
  }
  return date;
}
