import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { notFound } from '../http/errors.ts';
import { formatPrice } from './money.ts';
import { listPublishedTheses } from './thesis.repo.ts';

export function catalogRoutes({ db, clock, stripe, caches }: AppDeps): Router {
  const router = Router();

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
    const thesis = await caches.theses.findPublished(req.params.slug, clock.now());
    if (!thesis) throw notFound('We could not find that thesis. It may have moved or not be published yet.');
    const viewer: Viewer | null = res.locals.viewer;
    const members = (await caches.entitlements.canRead(viewer, thesis.id)) ? await caches.theses.membersLayer(thesis.id) : null;
    // A page that may differ per person must never be stored by a shared cache.
    res.set('Cache-Control', viewer ? 'private, no-store' : 'public, max-age=60').vary('Cookie');
    res.render('thesis', {
      title: thesis.title,
      description: thesis.tagline,
      thesis: thesis.view,
      members,
      paymentsEnabled: stripe !== null,
      signInPath: `/login?next=${encodeURIComponent(`/theses/${thesis.slug}`)}`,
    });
  });

  return router;
}
