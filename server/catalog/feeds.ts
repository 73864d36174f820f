import Handlebars from 'handlebars';

/** XML text and attribute escaping (Handlebars' escaping covers &, <, >, ", ' and `). */
export const xml = (value: string) => Handlebars.escapeExpression(value);

export interface FeedEntry {
  slug: string;
  subject: string;
  title: string;
  tagline: string;
  publishedAt: Date | null;
  updatedAt: Date;
}

/** A link of a thesis's record, as the public may always see it: its place, never its content. */
export interface FeedHead {
  sequence: number;
  hash: string;
  recordedAt: string;
}

/** One chain head as an RSS item (here and in each thesis's heads feed, signals/record-feed.ts). */
export function chainHeadItem(thesis: { slug: string; title: string }, head: FeedHead, appUrl: string): string {
  return [
    '    <item>',
    `      <title>${xml(`${thesis.title}: chain head #${head.sequence}`)}</title>`,
    `      <link>${xml(`${appUrl}/record#${thesis.slug}`)}</link>`,
    `      <guid isPermaLink="false">${xml(`${thesis.slug}:${head.sequence}:${head.hash}`)}</guid>`,
    `      <description>${xml(`Record entry #${head.sequence} of ${thesis.title}, recorded ${head.recordedAt}. Chain head ${head.hash}.`)}</description>`,
    `      <pubDate>${new Date(head.recordedAt).toUTCString()}</pubDate>`,
    '    </item>',
  ].join('\n');
}

/**
 * RSS 2.0 of the listed theses (the public header only: title, subject, tagline, never members' text),
 * then the latest chain heads of their records, which feed readers and archives keep as witnesses.
 */
export function rssFeed(
  entries: FeedEntry[],
  heads: readonly { thesis: { slug: string; title: string }; head: FeedHead }[],
  site: { appUrl: string; publisherName: string },
  now: Date,
): string {
  const items = entries.map((entry) => {
    const link = `${site.appUrl}/theses/${entry.slug}`;
    return [
      '    <item>',
      `      <title>${xml(entry.title)}</title>`,
      `      <link>${xml(link)}</link>`,
      `      <guid isPermaLink="true">${xml(link)}</guid>`,
      `      <category>${xml(entry.subject)}</category>`,
      `      <description>${xml(entry.tagline)}</description>`,
      `      <pubDate>${(entry.publishedAt ?? entry.updatedAt).toUTCString()}</pubDate>`,
      '    </item>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${xml(site.publisherName)}</title>`,
    `    <link>${xml(site.appUrl)}/</link>`,
    `    <atom:link href="${xml(site.appUrl)}/feed.xml" rel="self" type="application/rss+xml"/>`,
    `    <description>${xml(`Research theses from ${site.publisherName}`)}</description>`,
    '    <language>en-CA</language>',
    `    <lastBuildDate>${(entries[0]?.publishedAt ?? now).toUTCString()}</lastBuildDate>`,
    ...items,
    ...heads.map(({ thesis, head }) => chainHeadItem(thesis, head, site.appUrl)),
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

export function sitemap(entries: FeedEntry[], appUrl: string): string {
  const urls = [
    `  <url><loc>${xml(appUrl)}/</loc></url>`,
    ...entries.map(
      (entry) => `  <url><loc>${xml(`${appUrl}/theses/${entry.slug}`)}</loc><lastmod>${entry.updatedAt.toISOString()}</lastmod></url>`,
    ),
  ];
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...urls, '</urlset>', ''].join('\n');
}

/** Crawlers stay out of the private and transactional areas (the server still enforces access). */
export function robotsTxt(appUrl: string): string {
  const disallowed = ['/admin', '/account', '/checkout', '/login', '/logout', '/theses/*/buy', '/theses/*/checkout'];
  return ['User-agent: *', ...disallowed.map((path) => `Disallow: ${path}`), '', `Sitemap: ${appUrl}/sitemap.xml`, ''].join('\n');
}
