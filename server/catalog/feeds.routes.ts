import { Router } from 'express';
import type { Platform } from '../ops/platform.ts';
import { robotsTxt, rssFeed, sitemap, type FeedHead } from './feeds.ts';
import { listFeedEntries } from './thesis.repo.ts';

/** From the signals feature, which sits above the catalog: the latest chain heads of the public records. */
export type FeedParts = { recentHeads: (now: Date) => Promise<{ thesis: { slug: string; title: string }; head: FeedHead }[]> };

/** /feed.xml, /sitemap.xml and /robots.txt: the public catalog for readers' apps and crawlers. */
export function feedRoutes({ db, clock, config }: Platform, parts: FeedParts): Router {
  const router = Router();
  const site = { appUrl: config.appUrl, publisherName: config.publisherName };
  router.get('/feed.xml', async (_req, res) => {
    const now = clock.now();
    const [entries, heads] = await Promise.all([listFeedEntries(db, now), parts.recentHeads(now)]);
    res.type('application/rss+xml').set('Cache-Control', 'public, max-age=300').send(rssFeed(entries, heads, site, now));
  });
  router.get('/sitemap.xml', async (_req, res) => {
    res.type('application/xml').set('Cache-Control', 'public, max-age=300').send(sitemap(await listFeedEntries(db, clock.now()), config.appUrl));
  });
  router.get('/robots.txt', (_req, res) => {
    res.type('text/plain').set('Cache-Control', 'public, max-age=3600').send(robotsTxt(config.appUrl));
  });
  return router;
}
