import { Router } from 'express';
import type { Platform } from '../ops/platform.ts';
import { loadBoard } from './signal-board.ts';
import { buildLogDocument } from './chain-record.ts';
import type { SignalHub } from './signal-hub.ts';
import { requireMemberThesis } from './member-access.ts';
import type { StreamLimits } from './stream-limits.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { sectionHistory } from './section-history.ts';

/** A sequence number from Last-Event-ID or ?after=; anything else means "from now". */
export function parseAfter(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return null;
  return Number(value);
}

/** Members' routes: the board, the downloadable record and the live stream. */
export function signalRoutes({ db, clock, config }: Platform, hub: SignalHub, limits: StreamLimits): Router {
  const router = Router();

  router.get('/theses/:slug/signals', async (req, res) => {
    const { thesis } = await requireMemberThesis(db, req.params.slug, res.locals.viewer, clock.now());
    const board = await loadBoard(db, thesis);
    res.set('Cache-Control', 'private, no-store');
    res.render('signals/board', {
      title: `Signals · ${thesis.title}`,
      thesis,
      board,
      streamPath: `/theses/${thesis.slug}/signals/stream`,
    });
  });

  router.get('/theses/:slug/signals/log.json', async (req, res) => {
    const { thesis } = await requireMemberThesis(db, req.params.slug, res.locals.viewer, clock.now());
    const log = await buildLogDocument(db, thesis, config.appUrl);
    res.set('Cache-Control', 'private, no-store');
    res.attachment(`${thesis.slug}-signal-log.json`).json(log);
  });

  // Every recorded version of one members' section: members of the thesis only (the same gate).
  router.get('/theses/:slug/members/sections/:key', async (req, res) => {
    const { thesis } = await requireMemberThesis(db, req.params.slug, res.locals.viewer, clock.now());
    const history = await sectionHistory(db, thesis.id, req.params.key);
    if (!history) throw notFound('This section has not changed since publication, or there is no such section.');
    res.set('Cache-Control', 'private, no-store');
    res.render('signals/section-history', { title: `${history.title} · ${thesis.title}`, thesis, history });
  });

  router.get('/theses/:slug/signals/stream', async (req, res) => {
    const { thesis, viewer } = await requireMemberThesis(db, req.params.slug, res.locals.viewer, clock.now());
    // The browser sends Last-Event-ID when it reconnects; the page's first connection says ?after=.
    const after = parseAfter(req.get('Last-Event-ID')) ?? parseAfter(req.query.after);
    // The client may have gone while the session and access were checked: its 'close' has then fired
    // and never fires again, so a stream slot taken now (and the hub's stream) would never be given back.
    if (res.destroyed) return;
    const release = limits.acquire(viewer.userId, req.ip ?? '');
    if (!release) {
      const { perMember, perIp } = config.signalStreamLimits;
      throw new HttpError(
        429,
        `Too many live signal streams are open for this account (at most ${perMember}) or this network (at most ${perIp}). Close a tab showing the signals and reload.`,
        'Too many open streams',
      );
    }
    res.on('close', release);
    await hub.open(res, viewer, thesis.id, after);
  });

  return router;
}
