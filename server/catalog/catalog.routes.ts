import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { notFound } from '../http/errors.ts';
import { formatPrice } from './money.ts';
import { createPublicRenderCache } from './public-render-cache.ts';
import { renderPublicLayer, thesisPageLocals } from './thesis-page.ts';
import { findMembersLayer, findPublicLayer, findRenamedSlug, findThesisPage, listPublishedTheses } from './thesis.repo.ts';
import { membersLayerView } from './thesis-view.ts';
import { publicChainRecord } from '../signals/chain-record.ts';

export function catalogRoutes({ db, clock, stripe, config, caches }: AppDeps): Router {
  const router = Router();
  const site = { appUrl: config.appUrl, publisherName: config.publisherName };
  const publicLayers = createPublicRenderCache(async (thesisId) => {
    const thesis = await findPublicLayer(db, thesisId);
    return thesis && renderPublicLayer(thesis, site);
  });

  router.get('/', async (_req, res) => {
    const theses = await listPublishedTheses(db, clock.now());
    // Shareable only when it shows no one's state (the header differs once signed in).
    res.set('Cache-Control', res.locals.viewer ? 'private, no-store' : 'public, max-age=60').vary('Cookie');
    res.render('home', {
      title: 'Research',
      theses: theses.map((thesis) => ({ ...thesis, price: formatPrice(thesis.priceAmount, thesis.currency) })),
    });
  });

  router.get('/theses/:slug', async (req, res) => {
    const now = clock.now();
    const page = await findThesisPage(db, req.params.slug, now);
    if (!page) {
      const renamed = await findRenamedSlug(db, req.params.slug, now);
      if (renamed) return res.redirect(301, `/theses/${renamed}`);
      throw notFound('We could not find that thesis. It may have moved or not be published yet.');
    }
    const rendered = await publicLayers.get(page);
    if (!rendered) throw notFound('We could not find that thesis. It may have moved or not be published yet.');
    const viewer: Viewer | null = res.locals.viewer;
    // The members' layer is rendered per request and never cached.
    const members = (await caches.entitlements.canRead(viewer, page.id)) ? membersLayerView(await findMembersLayer(db, page.id)) : null;
    // A page that may differ per person must never be stored by a shared cache.
    res.set('Cache-Control', viewer ? 'private, no-store' : 'public, max-age=60').vary('Cookie');
    res.render('thesis', {
      ...thesisPageLocals(rendered, members, stripe !== null),
      // Count and latest hash of the signal record only: public proof of its state, never its content.
      signalRecord: await publicChainRecord(db, page.id),
    });
  });
  return router;
}
