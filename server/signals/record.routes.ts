import { Router } from 'express';
import type { Db } from '../db/database.ts';
import type { Platform } from '../ops/platform.ts';
import { findRecordThesis } from '../catalog/thesis-lookup.repo.ts';
import { notFound } from '../http/errors.ts';
import { buildPublicExport, loadTrackRecord } from './track-record.ts';
import { chainHeads } from './public-record.ts';
import { listChainLinks } from './signal-log.repo.ts';
import { headsFeed } from './record-feed.ts';
import { xml } from '../catalog/feeds.ts';

// Public, but revealing with time: a short lifetime bounds how late a reveal shows.
const PUBLIC_CACHE = 'public, max-age=60';

async function requireRecordThesis(db: Db, slug: string, now: Date) {
  const thesis = await findRecordThesis(db, slug, now);
  if (!thesis) throw notFound('We could not find a published thesis at that address, so it has no public record.');
  return thesis;
}

/** Lets feed readers find each thesis's chain heads from /record. */
function headsFeedLinks(theses: readonly { slug: string; title: string }[]): string {
  return theses
    .map((thesis) => `<link rel="alternate" type="application/rss+xml" title="${xml(`${thesis.title}: record chain heads`)}" href="/theses/${xml(thesis.slug)}/record/heads.xml">`)
    .join('\n');
}

/** The public track record (/record), its export per thesis, and the history of its chain heads. */
export function recordRoutes({ db, clock, config }: Platform): Router {
  const router = Router();

  router.get('/record', async (_req, res) => {
    const viewer = res.locals.viewer ?? null;
    const record = await loadTrackRecord(db, viewer, clock.now());
    // A member's copy shows live entries of their theses: never kept for anyone else.
    res.set('Cache-Control', viewer ? 'private, no-store' : PUBLIC_CACHE);
    res.render('record', {
      title: 'Track record',
      description: 'Every call on record, losers included, and how to check it.',
      head: headsFeedLinks(record.theses),
      ...record,
    });
  });

  router.get('/record/:slug.json', async (req, res) => {
    const now = clock.now();
    const thesis = await requireRecordThesis(db, req.params.slug, now);
    res.set('Cache-Control', PUBLIC_CACHE).json(await buildPublicExport(db, thesis, config.appUrl, now));
  });

  router.get('/theses/:slug/record/heads.json', async (req, res) => {
    const thesis = await requireRecordThesis(db, req.params.slug, clock.now());
    const heads = chainHeads(await listChainLinks(db, thesis.id));
    res.set('Cache-Control', PUBLIC_CACHE).json({ thesis: { slug: thesis.slug, title: thesis.title }, heads });
  });

  router.get('/theses/:slug/record/heads.xml', async (req, res) => {
    const thesis = await requireRecordThesis(db, req.params.slug, clock.now());
    const heads = chainHeads(await listChainLinks(db, thesis.id));
    res.type('application/rss+xml').set('Cache-Control', PUBLIC_CACHE).send(headsFeed(thesis, heads, config.appUrl));
  });

  return router;
}
