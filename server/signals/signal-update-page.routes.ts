import { Router, type Request, type Response } from 'express';
import type { Db } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import { notFound } from '../http/errors.ts';
import { alertAudience } from './alert-audience.ts';
import { renderNote } from './note-html.ts';
import { SIGNAL_STATUSES, statusLabel } from './statuses.ts';

interface ThesisMeta {
  id: string;
  slug: string;
  title: string;
}

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '');

function audienceView(audience: { statusChange: number; noteOnly: number }) {
  return { ...audience, membersWord: audience.statusChange === 1 ? 'member' : 'members', noteDiffers: audience.noteOnly !== audience.statusChange };
}

/**
 * One signal's "Record update" page: a focused form, and the same form again with the note rendered
 * as members will read it after "Preview". The preview is a plain form post, so it works without
 * JavaScript; recording still goes to POST /theses/:slug/signals, which checks every field.
 */
export function signalUpdatePageRoutes({ db, clock }: { db: Db; clock: Clock }, thesisBySlug: (slug: string) => Promise<ThesisMeta>): Router {
  const router = Router();

  async function render(req: Request, res: Response, typed: Record<string, unknown> | null) {
    const thesis = await thesisBySlug(String(req.params.slug));
    const signal = await db.signal.findFirst({ where: { id: String(req.params.signalId), thesisId: thesis.id }, select: { id: true, title: true, status: true } });
    if (!signal) throw notFound('This thesis has no such signal.');
    const today = clock.now().toISOString().slice(0, 10);
    const status = typed ? text(typed.status, 40) : signal.status;
    const note = typed ? text(typed.note, 20_000) : '';
    res.render('admin/signal-update-new', {
      title: `Record update · ${signal.title} · Admin`,
      thesis,
      signal: { ...signal, statusLabel: statusLabel(signal.status) },
      options: SIGNAL_STATUSES.map((value) => ({ value, label: statusLabel(value), selected: value === status })),
      fields: {
        occurredOn: typed ? text(typed.occurredOn, 10) : today,
        note,
        sourceUrl: typed ? text(typed.sourceUrl, 2000) : '',
        correctsSequence: typed ? text(typed.correctsSequence, 10) : '',
        alert: typed ? typed.alert === 'yes' : false,
      },
      // Rendered and sanitised exactly as a recorded note is (note-html.ts): what you see is what members get.
      previewHtml: typed && note.trim() ? renderNote(note) : null,
      previewed: typed !== null,
      audience: audienceView(await alertAudience(db, thesis.id)),
      today,
    });
  }

  router.get('/theses/:slug/signals/:signalId/new', (req, res) => render(req, res, null));
  router.post('/theses/:slug/signals/:signalId/preview', (req, res) => render(req, res, (req.body ?? {}) as Record<string, unknown>));
  return router;
}
