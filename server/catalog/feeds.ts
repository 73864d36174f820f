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

/** RSS 2.0 of the listed theses: the public header only (title, subject, tagline), never members' text. */
export function rssFeed(entries: FeedEntry[], site: { appUrl: string; publisherName: string }, now: Date): string {
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
