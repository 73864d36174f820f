import Handlebars from 'handlebars';
import type { PublicThesis } from './thesis.repo.ts';

/** The CSS selector of the paywalled block, on the paywall and on the members' layer alike. */
export const PAYWALLED_SELECTOR = '.paywalled';

const attr = (value: string) => Handlebars.escapeExpression(value);

/** JSON inside <script>: no "</script>" or "<!--" can close or confuse the element. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/**
 * The <head> tags of a thesis page, built from the public layer only (the type offers nothing
 * else): canonical URL, description, Open Graph, Twitter card and JSON-LD as Google documents for
 * paywalled content (isAccessibleForFree false, hasPart naming the paywalled block).
 */
export function thesisHead(thesis: PublicThesis, site: { appUrl: string; publisherName: string }): string {
  const url = `${site.appUrl}/theses/${thesis.slug}`;
  const description = thesis.tagline || thesis.title;
  const published = thesis.publishedAt?.toISOString();
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Article',
    headline: thesis.title,
    description,
    about: thesis.subject,
    url,
    mainEntityOfPage: url,
    datePublished: published,
    dateModified: thesis.updatedAt.toISOString(),
    author: { '@type': 'Organization', name: site.publisherName },
    publisher: { '@type': 'Organization', name: site.publisherName },
    isAccessibleForFree: false,
    hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: PAYWALLED_SELECTOR },
  };
  const tags = [
    `<link rel="canonical" href="${attr(url)}">`,
    `<meta property="og:type" content="article">`,
    `<meta property="og:site_name" content="${attr(site.publisherName)}">`,
    `<meta property="og:title" content="${attr(thesis.title)}">`,
    `<meta property="og:description" content="${attr(description)}">`,
    `<meta property="og:url" content="${attr(url)}">`,
    published ? `<meta property="article:published_time" content="${attr(published)}">` : '',
    `<meta name="twitter:card" content="summary">`,
    `<meta name="twitter:title" content="${attr(thesis.title)}">`,
    `<meta name="twitter:description" content="${attr(description)}">`,
    // Archived theses stay readable for buyers but leave search results.
    thesis.archivedAt ? `<meta name="robots" content="noindex">` : '',
    `<script type="application/ld+json">${scriptJson(jsonLd)}</script>`,
  ];
  return tags.filter(Boolean).join('\n  ');
}
