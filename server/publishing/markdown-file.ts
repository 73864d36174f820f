import matter from 'gray-matter';
import type { Db } from '../db/database.ts';
import { ContentError, parseContent, type ThesisContent } from './thesis-content.ts';
import { contentOf, findThesisForEditing } from './publishing.repo.ts';
import { createThesis, saveThesis, type Change } from './thesis-editing.ts';
import { parsePrice } from './thesis-form.ts';

/**
 * A thesis as one Markdown file, for writing offline: YAML front-matter holds the header, price,
 * disclosure, stress test, signals, members' sections (their bodies as YAML block text) and the
 * public closing shown after the offer (`publicClosing`, block text too) and the paywall's excerpt of
 * the members' layer (`membersExcerpt`, block text too); the Markdown after the
 * front-matter is the public body. Publication state is not part of the file:
 * an import never publishes anything.
 */
const refuse = () => {
  throw new ContentError(['front-matter: only YAML front-matter is accepted']);
};
// gray-matter would evaluate "---js" front-matter as JavaScript: never run code from a file.
const OPTIONS = { language: 'yaml', engines: { js: refuse, javascript: refuse, coffee: refuse, json: refuse } } as const;

const day = (value: unknown): Date | null => {
  if (value instanceof Date) return value;
  if (typeof value === 'string' && value) return new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return null;
};
const str = (value: unknown) => (value === undefined || value === null ? '' : String(value));
const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter((item) => item && typeof item === 'object') : []);

export function exportThesis(content: ThesisContent): string {
  const data = {
    slug: content.slug,
    series: content.series,
    subject: content.subject,
    title: content.title,
    tagline: content.tagline,
    price: (content.priceAmount / 100).toFixed(2),
    currency: content.currency.toUpperCase(),
    taxBehavior: content.taxBehavior,
    footer: content.footer,
    disclosure: {
      position: content.disclosurePosition,
      since: content.disclosurePositionSince ? content.disclosurePositionSince.toISOString().slice(0, 10) : '',
      compensation: content.disclosureCompensation,
      statement: content.disclosureStatement,
    },
    recordEmbargoDays: content.recordEmbargoDays,
    stressTests: content.stressTests,
    signals: content.signals.map(({ title, description }) => ({ title, description })),
    memberSections: content.memberSections,
    publicClosing: content.publicClosing,
    membersExcerpt: content.membersExcerpt,
  };
  return matter.stringify(`${content.publicBody}\n`, data, OPTIONS);
}

/** Parses a file into content; signals whose title matches one of `existing` keep that signal's id. */
function readFrontMatter(file: string): { data: Record<string, unknown>; content: string } {
  try {
    return matter(file.replace(/\r\n?/g, '\n'), OPTIONS);
  } catch (error) {
    if (error instanceof ContentError) throw error;
    throw new ContentError([`front-matter: ${(error as Error).message.split('\n')[0]}`]);
  }
}

export function parseThesisFile(file: string, existing: ThesisContent['signals'] = []): ThesisContent {
  const parsed = readFrontMatter(file);
  const data = parsed.data;
  const disclosure = (data.disclosure ?? {}) as Record<string, unknown>;
  return parseContent({
    slug: str(data.slug),
    series: str(data.series),
    subject: str(data.subject),
    title: str(data.title),
    tagline: str(data.tagline),
    priceAmount: parsePrice(str(data.price ?? '75.00')),
    currency: str(data.currency ?? 'cad'),
    // Absent from files written before the setting: the schema's default applies.
    taxBehavior: data.taxBehavior,
    publicBody: parsed.content.trim(),
    publicClosing: str(data.publicClosing).trim(),
    membersExcerpt: str(data.membersExcerpt).trim(),
    footer: str(data.footer),
    disclosurePosition: str(disclosure.position),
    disclosurePositionSince: day(disclosure.since),
    disclosureCompensation: str(disclosure.compensation),
    disclosureStatement: str(disclosure.statement),
    // Absent from files written before the setting: the schema's default applies.
    recordEmbargoDays: data.recordEmbargoDays,
    stressTests: list(data.stressTests).map((item) => ({
      argument: str(item.argument),
      assumption: str(item.assumption),
      verdict: str(item.verdict),
    })),
    signals: list(data.signals).map((item) => ({
      id: existing.find((signal) => signal.title === str(item.title))?.id ?? null,
      title: str(item.title),
      description: str(item.description),
    })),
    memberSections: list(data.memberSections).map((item) => ({ title: str(item.title), summary: str(item.summary), body: str(item.body).trim() })),
  });
}

/** Creates the thesis named by the file's slug, or saves over it (a revision) when it exists. */
export async function importThesis(db: Db, file: string, change: Change): Promise<{ slug: string; created: boolean }> {
  const data = readFrontMatter(file).data;
  const slug = str(data.slug).trim().toLowerCase();
  const stored = slug ? await findThesisForEditing(db, slug) : null;
  const content = parseThesisFile(file, stored ? contentOf(stored).signals : []);
  if (stored) {
    // A file without the setting keeps the thesis's embargo: the default could reveal at once what a longer one holds back.
    if (data.recordEmbargoDays === undefined) content.recordEmbargoDays = stored.recordEmbargoDays;
    // Nor does it change how the price treats tax.
    if (data.taxBehavior === undefined) content.taxBehavior = contentOf(stored).taxBehavior;
    await saveThesis(db, stored.slug, content, change, 'imported from a Markdown file');
    return { slug: content.slug, created: false };
  }
  await createThesis(db, content, change);
  return { slug: content.slug, created: true };
}

export async function exportThesisBySlug(db: Db, slug: string): Promise<string | null> {
  const stored = await findThesisForEditing(db, slug);
  return stored && exportThesis(contentOf(stored));
}
