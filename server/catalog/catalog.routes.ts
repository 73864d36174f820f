import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { canReadMembersLayer } from '../access/access.ts';
import { notFound } from '../http/errors.ts';
import { formatPrice } from './money.ts';
import { findMembersLayer, findPublishedThesis, listPublishedTheses } from './thesis.repo.ts';
import { membersLayerView, publicThesisView } from './thesis-view.ts';
import { publicChainRecord } from '../signals/chain-record.ts';

export function catalogRoutes({ db, clock, stripe }: AppDeps): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const theses = await listPublishedTheses(db, clock.now());
    res.render('home', {
      title: 'Research',
      theses: theses.map((thesis) => ({ ...thesis, price: formatPrice(thesis.priceAmount, thesis.currency) })),
    });
  });

  router.get('/theses/:slug', async (req, res) => {
    const thesis = await findPublishedThesis(db, req.params.slug, clock.now());
    if (!thesis) throw notFound('We could not find that thesis. It may have moved or not be published yet.');
    const viewer: Viewer | null = res.locals.viewer;
    const members = (await canReadMembersLayer(db, viewer, thesis.id)) ? membersLayerView(await findMembersLayer(db, thesis.id)) : null;
    // A page that may differ per person must never be stored by a shared cache.
    res.set('Cache-Control', viewer ? 'private, no-store' : 'public, max-age=60').vary('Cookie');
    res.render('thesis', {
      title: thesis.title,
      description: thesis.tagline,
      thesis: publicThesisView(thesis),
      members,
      // Count and latest hash of the signal record only: public proof of its state, never its content.
      signalRecord: await publicChainRecord(db, thesis.id),
      paymentsEnabled: stripe !== null,
      signInPath: `/login?next=${encodeURIComponent(`/theses/${thesis.slug}`)}`,
    });
  });

  return router;
}
