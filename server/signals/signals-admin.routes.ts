import { Router } from 'express';
import type { Platform } from '../ops/platform.ts';
import type { AdminSection } from '../http/admin-section.ts';
import type { CatalogCaches } from '../catalog/catalog-caches.ts';
import { findThesisMetaBySlug, listAllThesisMeta } from '../catalog/thesis-lookup.repo.ts';
import { notFound } from '../http/errors.ts';
import { publicChainRecord } from './chain-record.ts';
import { recordSignalUpdate } from './record-update.ts';
import { loadBoard } from './signal-board.ts';
import type { SignalHub } from './signal-hub.ts';
import { formatDay } from '../http/dates.ts';
import { signalUpdatePageRoutes } from './signal-update-page.routes.ts';
import { parseUpdateForm } from './update-form.ts';
import { parsePositionForm } from './position-form.ts';
import { earliestTradeDay, recordPosition } from './position-record.ts';
import { openPositions } from './open-positions.ts';
import { listPositionLegs } from './signal-log.repo.ts';

/**
 * The publisher's side: record a signal's move with its evidence. There is deliberately no route to
 * edit or delete an update; a mistake is corrected by a new update that says which one it corrects.
 */
export function signalAdminSection({ db, clock, mailQueued, catalog }: Platform & { catalog: CatalogCaches }, hub: SignalHub): AdminSection {
  const router = Router();

  async function thesisBySlug(slug: string) {
    const thesis = await findThesisMetaBySlug(db, slug);
    if (!thesis) throw notFound('There is no thesis at this address.');
    return thesis;
  }

  router.get('/signals', async (_req, res) => {
    res.render('admin/signals-index', { title: 'Signals · Admin', theses: await listAllThesisMeta(db) });
  });

  router.get('/theses/:slug/signals', async (req, res) => {
    const thesis = await thesisBySlug(req.params.slug);
    const [board, record, legs] = await Promise.all([loadBoard(db, thesis), publicChainRecord(db, thesis.id), listPositionLegs(db, thesis.id)]);
    const now = clock.now();
    res.render('admin/thesis-signals', {
      title: `Signals · ${thesis.title} · Admin`,
      thesis,
      record,
      // A position is recorded only on a published thesis (position-record.ts); a draft gets no form.
      published: thesis.publishedAt !== null && thesis.publishedAt.getTime() <= now.getTime(),
      positions: board.positions,
      // Offered for the instrument field: an exit or an add names one of these exactly.
      openPositions: [...openPositions(legs).values()],
      // The overview's last update: when it was recorded (history is newest first).
      signals: board.signals.map((signal) => ({ ...signal, lastUpdatedOn: signal.history[0] ? formatDay(new Date(signal.history[0].recordedAt)) : null })),
      today: now.toISOString().slice(0, 10),
      earliestTradeDay: thesis.publishedAt ? earliestTradeDay(thesis.publishedAt, now).toISOString().slice(0, 10) : null,
      recorded: typeof req.query.recorded === 'string' ? req.query.recorded.replace(/\D/g, '') : null,
    });
  });

  router.post('/theses/:slug/signals', async (req, res) => {
    const thesis = await thesisBySlug(req.params.slug);
    const input = parseUpdateForm(req.body);
    const { update, alertsQueued } = await recordSignalUpdate(db, clock, thesis, input);
    // Thesis pages show the record's count and latest hash.
    await catalog.contentChanged();
    if (alertsQueued > 0) mailQueued();
    hub.poke();
    res.redirect(303, `/admin/theses/${thesis.slug}/signals?recorded=${update.sequence}#signal-${update.signalId}`);
  });

  router.use(signalUpdatePageRoutes({ db, clock }, thesisBySlug));

  router.post('/theses/:slug/positions', async (req, res) => {
    const thesis = await thesisBySlug(req.params.slug);
    const input = parsePositionForm(req.body);
    const { entry, alertsQueued } = await recordPosition(db, clock, thesis, input);
    await catalog.contentChanged();
    if (alertsQueued > 0) mailQueued();
    hub.poke();
    res.redirect(303, `/admin/theses/${thesis.slug}/signals?recorded=${entry.sequence}#positions`);
  });

  return {
    href: '/signals',
    label: 'Signals',
    description: "record a signal's move with dated evidence, alert members, see each thesis's hash-chained record",
    router,
    alsoOwns: /^\/theses\/[^/]+\/(signals|positions)(\/|$)/,
  };
}
