import { Router } from 'express';
import type { Platform } from '../ops/platform.ts';
import { robotsTxt, rssFeed, sitemap } from './feeds.ts';
import { listFeedEntries } from './thesis.repo.ts';

/** /feed.xml, /sitemap.xml and /robots.txt: the public catalog for readers' apps and crawlers. */
export function feedRoutes({ db, clock, config }: Platform): Router {
  const router = Router();
  const site = { appUrl: config.appUrl, publisherName: config.publisherName };
  router.get('/feed.xml', async (_req, res) => {
    const now = clock.now();
    res.type('application/rss+xml').set('Cache-Control', 'public, max-age=300').send(rssFeed(await listFeedEntries(db, now), site, now));
  });
  router.get('/sitemap.xml', async (_req, res) => {
    res.type('application/xml').set('Cache-Control', 'public, max-age=300').send(sitemap(await listFeedEntries(db, clock.now()), config.appUrl));
  });
  router.get('/robots.txt', (_req, res) => {
    res.type('text/plain').set('Cache-Control', 'public, max-age=3600').send(robotsTxt(config.appUrl));
  });
  return router;
}
