import { chainHeadItem, xml } from '../catalog/feeds.ts';
import type { ChainHeadItem } from './public-record.ts';

/**
 * RSS 2.0 of one thesis's chain heads, newest first: each head is an item, so feed readers and
 * archives keep a dated copy of it that we cannot rewrite. Heads only, never an entry's content.
 */
export function headsFeed(thesis: { slug: string; title: string }, heads: readonly ChainHeadItem[], appUrl: string): string {
  const recordUrl = `${appUrl}/record#${thesis.slug}`;
  const items = [...heads].reverse().map((head) => chainHeadItem(thesis, head, appUrl));
  const self = `${appUrl}/theses/${thesis.slug}/record/heads.xml`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${xml(`${thesis.title}: record chain heads`)}</title>`,
    `    <link>${xml(recordUrl)}</link>`,
    `    <atom:link href="${xml(self)}" rel="self" type="application/rss+xml"/>`,
    `    <description>${xml(`Every chain head of the public track record of ${thesis.title}, as it was recorded.`)}</description>`,
    '    <language>en-CA</language>',
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}
