import { DISCLOSURE_POSITIONS, parseContent, type ThesisContent } from './thesis-content.ts';
import { ContentError } from './thesis-content.ts';
import { badRequest } from '../http/errors.ts';
import { countWords, wordsText } from '../catalog/word-count.ts';

/** A urlencoded body: repeated field names (one per editor row) arrive as arrays. */
export type FormBody = Record<string, string | string[] | undefined>;

/** Browsers submit textarea newlines as CRLF; stored text has LF, so an unchanged save compares equal. */
const withLf = (value: string) => value.replace(/\r\n?/g, '\n');

const one = (body: FormBody, name: string) => {
  const value = body[name];
  return typeof value === 'string' ? withLf(value) : '';
};
const many = (body: FormBody, name: string) => {
  const value = body[name];
  return (value === undefined ? [] : Array.isArray(value) ? value : [value]).map(withLf);
};

/** Rows of a repeated group; a row left entirely blank is dropped (that is how rows are removed). */
function rows<K extends string>(body: FormBody, fields: Record<K, string>, ignore: NoInfer<K>[] = []) {
  const columns = Object.entries(fields).map(([key, name]) => [key, many(body, name as string)] as const);
  const count = Math.max(0, ...columns.map(([, values]) => values.length));
  const result: Record<K, string>[] = [];
  for (let index = 0; index < count; index++) {
    const row = Object.fromEntries(columns.map(([key, values]) => [key, (values[index] ?? '').trim()])) as Record<K, string>;
    const filled = (Object.keys(row) as K[]).some((key) => !ignore.includes(key) && row[key] !== '');
    if (filled) result.push(row);
  }
  return result;
}

/** "75", "75.00", "1,250.5" → minor units; anything else is a clear error. */
export function parsePrice(value: string): number {
  const cleaned = value.replace(/[,\s$]/g, '');
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(cleaned)) throw new ContentError(['price: write an amount such as 75.00']);
  return Math.round(Number(cleaned) * 100);
}

/** YYYY-MM-DD (the form's date input) → a UTC date; "" → null. */
export function parseDay(value: string, field: string): Date | null {
  if (!value) return null;
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime())) throw new ContentError([`${field}: write a date as YYYY-MM-DD`]);
  return date;
}

/** The embargo field as typed → a number for the schema to judge ("-1", "1.5" get its messages); "" or text is not a number. */
function embargoDaysOf(value: string): number {
  const trimmed = value.trim();
  return /^-?\d{1,9}(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The editor form → validated content, or a ContentError listing every problem. */
export function contentFromForm(body: FormBody): ThesisContent {
  const position = one(body, 'disclosurePosition');
  return parseContent({
    slug: one(body, 'slug'),
    series: one(body, 'series'),
    subject: one(body, 'subject'),
    title: one(body, 'title'),
    tagline: one(body, 'tagline'),
    priceAmount: parsePrice(one(body, 'price')),
    currency: one(body, 'currency') || 'cad',
    // Absent (a form from before the field) is the default; anything else is the schema's to judge.
    taxBehavior: body.taxBehavior === undefined ? undefined : one(body, 'taxBehavior'),
    publicBody: one(body, 'publicBody'),
    publicClosing: one(body, 'publicClosing'),
    membersExcerpt: one(body, 'membersExcerpt'),
    footer: one(body, 'footer'),
    disclosurePosition: (DISCLOSURE_POSITIONS as readonly string[]).includes(position) ? position : '',
    disclosurePositionSince: parseDay(one(body, 'disclosurePositionSince'), 'disclosure since'),
    disclosureCompensation: one(body, 'disclosureCompensation'),
    disclosureStatement: one(body, 'disclosureStatement'),
    recordEmbargoDays: embargoDaysOf(one(body, 'recordEmbargoDays')),
    stressTests: rows(body, { argument: 'stressArgument', assumption: 'stressAssumption', verdict: 'stressVerdict' }, ['verdict']),
    signals: rows(body, { id: 'signalId', title: 'signalTitle', description: 'signalDescription' }, ['id']).map((row) => ({
      ...row,
      id: row.id || null,
    })),
    memberSections: rows(body, { title: 'memberTitle', summary: 'memberSummary', body: 'memberBody' }),
  });
}

/** Words per prose field and for the thesis a reader gets (the excerpt repeats members' text, so it is not added). */
function wordCounts(content: ThesisContent) {
  const body = countWords(content.publicBody);
  const closing = countWords(content.publicClosing);
  const members = content.memberSections.map((section) => countWords(section.body));
  return {
    publicBodyWords: wordsText(body),
    publicClosingWords: wordsText(closing),
    membersExcerptWords: wordsText(countWords(content.membersExcerpt)),
    totalWords: wordsText(body + closing + members.reduce((sum, words) => sum + words, 0)),
  };
}

/** Content → the values the editor's fields show, with spare blank rows for adding items. */
export function formValues(content: ThesisContent) {
  const spare = <T>(items: T[], blank: T, count: number) => [...items, ...Array.from({ length: count }, () => ({ ...blank }))];
  return {
    ...content,
    ...wordCounts(content),
    price: (content.priceAmount / 100).toFixed(2),
    currency: content.currency.toUpperCase(),
    taxBehaviors: [
      { value: 'exclusive', label: 'Tax added to the price', selected: content.taxBehavior !== 'inclusive' },
      { value: 'inclusive', label: 'Tax included in the price', selected: content.taxBehavior === 'inclusive' },
    ],
    disclosurePositionSince: content.disclosurePositionSince ? content.disclosurePositionSince.toISOString().slice(0, 10) : '',
    positionNone: content.disclosurePosition === 'none',
    positionHeld: content.disclosurePosition === 'held',
    stressTests: spare(content.stressTests, { argument: '', assumption: '', verdict: '' }, 2).map((item) => ({
      ...item,
      verdicts: ['Invalid', 'Partial', 'Valid'].map((verdict) => ({ verdict, selected: verdict === item.verdict })),
    })),
    signals: spare(content.signals, { id: null, title: '', description: '' }, 2),
    memberSections: spare(content.memberSections, { title: '', summary: '', body: '' }, 1).map((section) => ({
      ...section,
      bodyWords: wordsText(countWords(section.body)),
    })),
  };
}

/** What the person typed, shown again next to the problems when the form was refused. */
export function formValuesAsTyped(body: FormBody) {
  const position = one(body, 'disclosurePosition');
  const typed = {
    slug: one(body, 'slug'),
    series: one(body, 'series'),
    subject: one(body, 'subject'),
    title: one(body, 'title'),
    tagline: one(body, 'tagline'),
    priceAmount: 0,
    currency: one(body, 'currency'),
    taxBehavior: (one(body, 'taxBehavior') === 'inclusive' ? 'inclusive' : 'exclusive') as ThesisContent['taxBehavior'],
    publicBody: one(body, 'publicBody'),
    publicClosing: one(body, 'publicClosing'),
    membersExcerpt: one(body, 'membersExcerpt'),
    footer: one(body, 'footer'),
    disclosurePosition: (position === 'none' || position === 'held' ? position : '') as ThesisContent['disclosurePosition'],
    disclosurePositionSince: null,
    disclosureCompensation: one(body, 'disclosureCompensation'),
    disclosureStatement: one(body, 'disclosureStatement'),
    recordEmbargoDays: 0,
    stressTests: rows(body, { argument: 'stressArgument', assumption: 'stressAssumption', verdict: 'stressVerdict' }, ['verdict']) as ThesisContent['stressTests'],
    signals: rows(body, { id: 'signalId', title: 'signalTitle', description: 'signalDescription' }, ['id']).map((row) => ({ ...row, id: row.id || null })),
    memberSections: rows(body, { title: 'memberTitle', summary: 'memberSummary', body: 'memberBody' }),
  };
  return {
    ...formValues(typed),
    price: one(body, 'price'),
    disclosurePositionSince: one(body, 'disclosurePositionSince'),
    recordEmbargoDays: one(body, 'recordEmbargoDays'),
  };
}

/** The editor's "Editorial fix" box: checked sends "yes", unchecked sends nothing; anything else is refused. */
export function editorialOf(body: FormBody): boolean {
  const value = body.editorial;
  if (value === undefined) return false;
  if (value === 'yes') return true;
  throw badRequest('The "Editorial fix" box sends "yes" or nothing; nothing was saved.');
}
