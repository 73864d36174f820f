import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { CatalogCaches } from '../catalog/catalog-caches.ts';
import type { ChangeBus } from '../cache/change-bus.ts';
import { createLookupCache } from '../cache/lookup-cache.ts';
import { renderMarkdown } from '../catalog/markdown.ts';
import { PAGE_KEYS, PAGE_TITLES, defaultMarkdown, type PageKey } from './page-defaults.ts';
import { findStoredPage, listStoredPages, storePage } from './site-pages.repo.ts';

/** Long enough for any terms of sale, short enough that a paste of the wrong file is caught. */
export const MAX_PAGE_LENGTH = 20_000;

/** How long a rendered page may live if an announcement was lost (as the catalog's lookups). */
const SAFETY_NET_MS = 5 * 60 * 1000;

/** A page's text was refused: the message names the field, and nothing was saved. */
export class PageInputError extends Error {}

export interface SitePageView {
  key: PageKey;
  title: string;
  markdown: string;
  /** Sanitised HTML, as the thesis pages render theirs. */
  html: string;
  /** null while the default from code shows. */
  updatedAt: Date | null;
  updatedBy: string | null;
}

export type SitePages = ReturnType<typeof createSitePages>;

/**
 * The terms, refund, privacy and contact pages: the publisher's saved Markdown, or a default from
 * code until they save one. Each is kept rendered, so a signed-in reader (whom the public page cache
 * does not serve) costs no query and no Markdown render. A save announces a content change: it drops
 * them here and in the catalog's caches at once, on the other instances on their next poll.
 */
export function createSitePages(deps: {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'publisherName' | 'contactEmail'>;
  catalog: Pick<CatalogCaches, 'contentChanged'>;
  changes: Pick<ChangeBus, 'on'>;
}) {
  const { db, clock, config, catalog, changes } = deps;
  const views = createLookupCache<SitePageView>({ clock, maxAgeMs: SAFETY_NET_MS, maxEntries: PAGE_KEYS.length });
  changes.on('content', () => views.clear());
  const viewOf = (key: PageKey, stored: { markdown: string; updatedAt: Date; updatedBy: string } | null | undefined): SitePageView => {
    const markdown = stored?.markdown ?? defaultMarkdown(key, config);
    return { key, title: PAGE_TITLES[key], markdown, html: renderMarkdown(markdown), updatedAt: stored?.updatedAt ?? null, updatedBy: stored?.updatedBy ?? null };
  };

  return {
    find(key: PageKey): Promise<SitePageView> {
      return views.get(key, async () => viewOf(key, await findStoredPage(db, key)));
    },

    async list(): Promise<SitePageView[]> {
      const stored = await listStoredPages(db);
      return PAGE_KEYS.map((key) => viewOf(key, stored.get(key)));
    },

    /** Throws PageInputError (and writes nothing) for empty or overlong text. */
    async save(key: PageKey, markdown: string, authorEmail: string): Promise<void> {
      const text = markdown.replace(/\r\n/g, '\n').trim();
      if (!text) throw new PageInputError('The page text is empty: write the page, or leave it as it was.');
      if (text.length > MAX_PAGE_LENGTH) {
        throw new PageInputError(`The page text is ${text.length.toLocaleString('en-CA')} characters long; the most is ${MAX_PAGE_LENGTH.toLocaleString('en-CA')}.`);
      }
      await storePage(db, key, { markdown: text, updatedAt: clock.now(), updatedBy: authorEmail });
      await catalog.contentChanged();
    },
  };
}
