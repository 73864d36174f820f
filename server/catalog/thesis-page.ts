import type { RenderedPublicLayer } from './public-render-cache.ts';
import type { MembersLayerView } from './thesis-view.ts';
import { publicThesisView } from './thesis-view.ts';
import { thesisHead } from './seo-head.ts';
import { priceTaxNote } from './price-tax-note.ts';
import type { PublicThesis } from './thesis.repo.ts';

export interface SiteIdentity {
  appUrl: string;
  publisherName: string;
}

/** Public layer → what the cache stores; the admin preview calls it too, so both render alike. */
export function renderPublicLayer(thesis: PublicThesis, site: SiteIdentity): RenderedPublicLayer {
  return { view: publicThesisView(thesis), head: thesisHead(thesis, site) };
}

/** The locals of views/thesis.hbs, for the site and for the admin preview alike. */
export function thesisPageLocals(
  rendered: RenderedPublicLayer,
  members: MembersLayerView | null,
  paymentsEnabled: boolean,
  automaticTax = false,
) {
  const thesis = rendered.view;
  return {
    title: thesis.title,
    description: thesis.tagline,
    head: rendered.head,
    thesis,
    members,
    paymentsEnabled: paymentsEnabled && !thesis.archived,
    priceTaxNote: priceTaxNote(thesis.taxBehavior, automaticTax),
    signInPath: `/login?next=${encodeURIComponent(`/theses/${thesis.slug}`)}`,
  };
}
