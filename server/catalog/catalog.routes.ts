import type { IncomingMessage } from 'node:http';
import { Router } from 'express';
import type { Platform } from '../ops/platform.ts';
import type { AccessCache } from '../access/access-cache.ts';
import type { CatalogCaches } from './catalog-caches.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { notFound } from '../http/errors.ts';
import { formatPrice } from '../http/money.ts';
import { priceTaxNote } from './price-tax-note.ts';
import { createPublicRenderCache } from './public-render-cache.ts';
import { renderPublicLayer, thesisPageLocals } from './thesis-page.ts';
import { findMembersLayer, findPublicLayer, findRenamedSlug, findThesisPage, isVisible, listPublishedTheses } from './thesis.repo.ts';
import { membersLayerView, type SectionUpdates } from './thesis-view.ts';
import { renderPageShell, sendPageShell } from '../http/views.ts';
import { onEveryServe } from '../http/public-page-cache.ts';
import { createRateLimits } from '../http/rate-limits.ts';

/**
 * Parts of the thesis page owned by features above catalog (it may not import them), passed in by app.ts.
 * signalRecord: the public proof of a thesis's signal record, from the signals feature.
 */
export type ThesisPageParts = {
  signalRecord: (thesisId: string) => Promise<object>;
  /** Members only: when each members' section last changed after publication (the record's section entries). */
  sectionUpdates: (thesisId: string) => Promise<SectionUpdates>;
  /** Members only: how many signal updates so far and the latest one's date (the owner's block). */
  boardDigest: (thesisId: string) => Promise<object>;
  /** A view of the public page, from the analytics feature: cheap and never throwing, it runs for cached answers too. */
  viewed: (req: IncomingMessage, thesisId: string) => void;
  /** A member (not an admin) was shown the members' layer, from analytics (alert opens): never throws. */
  memberRead: (userId: string, thesisId: string) => Promise<void>;
  /**
   * An offer's code from the link (?offer=CODE), from the checkout feature: the notice to show and, when
   * it applies to this thesis now, the code the buy button carries on.
   */
  offer: (code: string, thesisId: string) => Promise<ThesisPageOffer>;
};

export interface ThesisPageOffer {
  /** Set only when the offer applies: the buy links carry it. */
  code: string | null;
  message: string;
  refused: boolean;
}

export function catalogRoutes(deps: Platform & { catalog: CatalogCaches; access: AccessCache }, parts: ThesisPageParts): Router {
  const { db, clock, config, catalog, access } = deps;
  const router = Router();
  const site = { appUrl: config.appUrl, publisherName: config.publisherName };
  const publicLayers = createPublicRenderCache(async (thesisId) => {
    const thesis = await findPublicLayer(db, thesisId);
    return thesis && renderPublicLayer(thesis, site);
  });
  // Looked up by slug on every thesis request; whether it is visible yet is decided per request.
  const { pages, shells } = catalog;

  router.get('/', async (_req, res) => {
    const viewer: Viewer | null = res.locals.viewer;
    const theses = await listPublishedTheses(db, clock.now());
    // Nobody owns anything on the anonymous page, so it asks nothing (and stays shareable).
    const owned = viewer ? await Promise.all(theses.map((thesis) => access.canRead(viewer, thesis.id))) : [];
    // Shareable only when it shows no one's state (the header and "Owned" differ once signed in).
    res.set('Cache-Control', viewer ? 'private, no-store' : 'public, max-age=60').vary('Cookie');
    res.render('home', {
      title: 'Research',
      theses: theses.map((thesis, n) => ({ ...thesis, price: formatPrice(thesis.priceAmount, thesis.currency),
        priceTaxNote: priceTaxNote(thesis.taxBehavior, config.checkout.automaticTax),
        owned: owned[n] ?? false })),
    });
  });

  // A link's ?offer= code is looked up: counted per IP (guessing codes); a page without one is not.
  router.get('/theses/:slug', createRateLimits(deps).offerCodeLookupsPerIp('thesis'), async (req, res) => {
    const now = clock.now();
    const slug = String(req.params.slug);
    const found = await pages.get(slug, () => findThesisPage(db, slug));
    const page = found && isVisible(found, now) ? found : null;
    if (!page) {
      const renamed = await findRenamedSlug(db, slug, now);
      if (renamed) return res.redirect(301, `/theses/${renamed}`);
      throw notFound('We could not find that thesis. It may have moved or not be published yet.');
    }
    const rendered = await publicLayers.get(page);
    if (!rendered) throw notFound('We could not find that thesis. It may have moved or not be published yet.');
    const viewer: Viewer | null = res.locals.viewer;
    const entitled = await access.canRead(viewer, page.id);
    // The header's "Admin" link (admin/admin-link.ts): admins get their own shell.
    const admin = res.locals.viewerIsAdmin === true;
    if (entitled && viewer && !admin) await parts.memberRead(viewer.userId, page.id);
    const renderPage = async () =>
      renderPageShell(
        req.app,
        'thesis',
        {
          // publisherName ("Written by …") comes from app.locals, as for the layout.
          ...thesisPageLocals(rendered, entitled ? membersLayerView(await findMembersLayer(db, page.id), page.slug, await parts.sectionUpdates(page.id)) : null, config.stripe !== undefined, config.checkout.automaticTax),
          // Count and latest hash of the signal record only: public proof of its state, never its content.
          signalRecord: await parts.signalRecord(page.id),
          // Members only: which entries are signal updates is what /record hides while they are embargoed.
          // The same for every member; a new signal update empties the shells (contentChanged).
          owned: entitled ? await parts.boardDigest(page.id) : null,
        },
        { signedIn: viewer !== null, admin },
      );
    // The whole page, rendered once per revision, layer and signed-in state for everyone who sees it
    // (kept in this process only, never in a shared cache; each request adds its own CSRF token).
    // A link with an offer gets its notice on a page of its own: rendered for this request, never
    // stored in the shared shells or the public page cache (the offer may end any minute, and the
    // plain page must not show it). Readers who own the thesis get the plain page.
    const typedOffer = typeof req.query.offer === 'string' && req.query.offer !== '' && !entitled ? req.query.offer : null;
    if (typedOffer) {
      const offer = await parts.offer(typedOffer, page.id);
      const shell = await renderPageShell(
        req.app,
        'thesis',
        { ...thesisPageLocals(rendered, null, config.stripe !== undefined), signalRecord: await parts.signalRecord(page.id), owned: null, offer },
        { signedIn: viewer !== null, admin },
      );
      parts.viewed(req, page.id);
      res.set('Cache-Control', 'private, no-store').vary('Cookie');
      return sendPageShell(res, shell, { shareable: false });
    }
    const key = `${page.id}@${page.revision}:${entitled ? 'members' : 'public'}:${viewer ? (admin ? 'admin' : 'signed-in') : 'visitor'}`;
    // In development a template edit shows on the next request, as for every other page.
    const shell = config.env === 'development' ? await renderPage() : await shells.get(key, renderPage);
    // Counted now and on every answer of this page from memory (the anonymous page is kept there).
    onEveryServe(req, res, (served) => parts.viewed(served, page.id));
    // A page that may differ per person must never be stored by a shared cache.
    res.set('Cache-Control', viewer ? 'private, no-store' : 'public, max-age=60').vary('Cookie');
    sendPageShell(res, shell, { shareable: !viewer });
  });
  return router;
}
