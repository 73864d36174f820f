import { renderMarkdown } from './markdown.ts';
import { formatPrice } from './money.ts';
import type { MembersLayer, PublicThesis } from './thesis.repo.ts';

const VERDICT_CLASS: Record<string, string> = { Invalid: 'invalid', Partial: 'partial', Valid: 'valid' };

/** The public layer, ready for the template: Markdown rendered and sanitised, the price formatted. */
export function publicThesisView(thesis: PublicThesis) {
  return {
    ...thesis,
    publicHtml: renderMarkdown(thesis.publicBody),
    price: formatPrice(thesis.priceAmount, thesis.currency),
    stressTests: thesis.stressTests.map((item) => ({ ...item, verdictClass: VERDICT_CLASS[item.verdict] ?? 'partial' })),
  };
}

export function membersLayerView(layer: MembersLayer) {
  return {
    sections: layer.memberSections.map((section) => ({ title: section.title, html: renderMarkdown(section.body) })),
    signals: layer.signals,
  };
}
