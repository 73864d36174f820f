import type { Clock } from '../clock.ts';
import type { ChangeBus } from '../cache/change-bus.ts';
import { createLookupCache, type LookupCache } from '../cache/lookup-cache.ts';
import { createPublicPageCache, type PublicPageCache } from '../http/public-page-cache.ts';
import type { ThesisPage } from './thesis.repo.ts';

/**
 * What the catalog keeps in memory of thesis content, and the one way to drop it. Public thesis
 * views are cached per revision (public-render-cache.ts) and need no dropping.
 */
export interface CatalogCaches {
  /** Anonymous public pages as they went out (home, thesis pages, feeds, site pages such as /terms). */
  publicPages: PublicPageCache;
  /** Per slug: the thesis's id, revision and publication time. */
  pages: LookupCache<ThesisPage>;
  /** The whole thesis page per revision, layer and signed-in state (catalog.routes.ts). */
  shells: LookupCache<Buffer[]>;
  /**
   * A thesis (text, sections, signals, price, publication) or a site page was written: call after the commit.
   * Drops this instance's copies at once, the other instances' on their next poll.
   */
  contentChanged(): Promise<void>;
}

/** How long a remembered lookup may live if an announcement was lost. */
const SAFETY_NET_MS = 5 * 60 * 1000;

export function createCatalogCaches({ clock, changes }: { clock: Clock; changes: ChangeBus }): CatalogCaches {
  const caches = {
    publicPages: createPublicPageCache({ clock }),
    pages: createLookupCache<ThesisPage>({ clock, maxAgeMs: SAFETY_NET_MS, maxEntries: 1000 }),
    shells: createLookupCache<Buffer[]>({ clock, maxAgeMs: SAFETY_NET_MS, maxEntries: 1000 }),
  };
  changes.on('content', () => {
    caches.publicPages.clear();
    caches.pages.clear();
    caches.shells.clear();
  });
  return { ...caches, contentChanged: () => changes.announce('content') };
}
