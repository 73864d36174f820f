import { LRUCache } from 'lru-cache';
import type { PublicThesisView } from './thesis-view.ts';

/** The public layer of one thesis, rendered: the page's view model and its <head> tags. */
export interface RenderedPublicLayer {
  view: PublicThesisView;
  head: string;
}

/**
 * Renders a thesis's public layer once per revision and reuses it: Markdown, sanitising and the
 * head tags cost far more than the lookup of (id, revision). Every change bumps the revision in
 * the database, so each instance of a scaled-out site notices on its next request; nothing here
 * needs invalidating. Members' layers are never stored here. The least recently used thesis goes
 * first when `maxEntries` are kept.
 */
export function createPublicRenderCache(render: (thesisId: string) => Promise<RenderedPublicLayer | null>, maxEntries = 200) {
  const entries = new LRUCache<string, { revision: number; rendered: RenderedPublicLayer }>({ max: maxEntries });
  return {
    async get(thesis: { id: string; revision: number }): Promise<RenderedPublicLayer | null> {
      const hit = entries.get(thesis.id);
      if (hit && hit.revision === thesis.revision) return hit.rendered;
      const rendered = await render(thesis.id);
      // Store under the revision actually rendered, so a change that raced the read is not hidden.
      if (rendered) entries.set(thesis.id, { revision: rendered.view.revision, rendered });
      return rendered;
    },
    get size() {
      return entries.size;
    },
  };
}
