import { formatDay } from '../http/dates.ts';
import { renderMarkdown } from './markdown.ts';
import { formatPrice } from '../http/money.ts';
import { withTableOfContents } from './toc.ts';
import type { MembersLayer, PublicThesis } from './thesis.repo.ts';
import { sectionKeys } from './section-keys.ts';
import { aboutWords } from './word-count.ts';

const VERDICT_CLASS: Record<string, string> = { Invalid: 'invalid', Partial: 'partial', Valid: 'valid' };

/** The disclosure block shown above the paywall (NI 31-103 s.8.25: interests are disclosed). */
function disclosureView(thesis: PublicThesis) {
  if (!thesis.disclosurePosition && !thesis.disclosureCompensation && !thesis.disclosureStatement) return null;
  const position =
    thesis.disclosurePosition === 'held'
      ? `The author or publisher holds a position in ${thesis.subject}` +
        (thesis.disclosurePositionSince ? ` since ${formatDay(thesis.disclosurePositionSince)}.` : '.')
      : thesis.disclosurePosition === 'none'
        ? `Neither the author nor the publisher holds a position in ${thesis.subject}.`
        : '';
  return { position, compensation: thesis.disclosureCompensation, statement: thesis.disclosureStatement };
}

/**
 * The public layer, ready for the template: Markdown rendered and sanitised, the price formatted.
 * The closing comes after the offer on the page, so its contents entries are listed apart.
 */
export function publicThesisView(thesis: PublicThesis) {
  const headingIds = new Set<string>();
  const { html, toc } = withTableOfContents(renderMarkdown(thesis.publicBody), 'section', headingIds);
  const closing = withTableOfContents(renderMarkdown(thesis.publicClosing), 'section', headingIds);
  // The phones' sticky price bar starts after the first section, so the body is cut before the second heading.
  const secondHeading = html.indexOf('<h2', html.indexOf('<h2') + 1);
  const cut = secondHeading > 0 ? secondHeading : html.length;
  return {
    ...thesis,
    leadHtml: html.slice(0, cut),
    restHtml: html.slice(cut),
    toc,
    closingHtml: closing.html,
    closingToc: closing.toc,
    hasToc: toc.length + closing.toc.length > 0,
    archived: thesis.archivedAt !== null,
    disclosure: disclosureView(thesis),
    price: formatPrice(thesis.priceAmount, thesis.currency),
    memberSections: thesis.memberSections.map((section) => ({ ...section, length: aboutWords(section.words) })),
    excerptHtml: renderMarkdown(thesis.membersExcerpt),
    stressTests: thesis.stressTests.map((item) => ({ ...item, verdictClass: VERDICT_CLASS[item.verdict] ?? 'partial' })),
  };
}

export type PublicThesisView = ReturnType<typeof publicThesisView>;

export type MembersLayerView = ReturnType<typeof membersLayerView>;

/** When each members' section last changed after publication, by section key (from the thesis's record). */
export type SectionUpdates = ReadonlyMap<string, Date>;

export function membersLayerView(layer: MembersLayer, slug: string, updates: SectionUpdates = new Map()) {
  const keys = sectionKeys(layer.memberSections);
  return {
    sections: layer.memberSections.map((section, index) => {
      const updatedAt = updates.get(keys[index]);
      return {
        title: section.title,
        html: renderMarkdown(section.body),
        key: keys[index],
        updated: updatedAt ? { on: formatDay(updatedAt), at: updatedAt.toISOString(), historyPath: `/theses/${slug}/members/sections/${keys[index]}` } : null,
      };
    }),
    signals: layer.signals,
  };
}
