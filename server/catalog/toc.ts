/** One entry of a thesis page's table of contents. */
export interface TocEntry {
  id: string;
  text: string;
}

const decodeEntities = (html: string) =>
  html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/**
 * Gives every <h2> of already-sanitised HTML an id and lists them. The divider convention of the
 * public body: each "## Heading" starts a section of the table of contents. Ids are prefixed so a
 * heading can never clobber an id the page itself uses (paywall, members-layer). Parts of one page
 * (the body, the closing after the offer) share `used`, so their ids stay unique.
 */
export function withTableOfContents(html: string, prefix = 'section', used = new Set<string>()): { html: string; toc: TocEntry[] } {
  const toc: TocEntry[] = [];
  const withIds = html.replace(/<h2>([\s\S]*?)<\/h2>/g, (_match, inner: string) => {
    const text = decodeEntities(inner.replace(/<[^>]*>/g, '')).trim();
    const base = `${prefix}-${text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'part'}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    toc.push({ id, text });
    return `<h2 id="${id}">${inner}</h2>`;
  });
  return { html: withIds, toc };
}
