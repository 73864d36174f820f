import { Router } from 'express';
import type { SitePages } from './site-pages.ts';
import { PAGE_KEYS } from './page-defaults.ts';

/** /terms, /refunds, /privacy, /contact: the same for every visitor, so shareable like the home page. */
export function sitePagesRoutes({ sitePages }: { sitePages: SitePages }): Router {
  const router = Router();
  for (const key of PAGE_KEYS) {
    router.get(`/${key}`, async (_req, res) => {
      const page = await sitePages.find(key);
      // Shareable only when it shows no one's state (the header differs once signed in).
      res.set('Cache-Control', res.locals.viewer ? 'private, no-store' : 'public, max-age=60').vary('Cookie');
      res.render('site-page', { title: page.title, page });
    });
  }
  return router;
}
