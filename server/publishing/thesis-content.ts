import { z } from 'zod';

/**
 * Everything the publisher writes about a thesis, in one plain shape: what the editor form, the
 * Markdown import and a revision snapshot all produce, and what saving and restoring consume.
 * Publication state (publishedAt, archivedAt) is deliberately not part of it.
 */
export const VERDICTS = ['Invalid', 'Partial', 'Valid'] as const;
export const DISCLOSURE_POSITIONS = ['', 'none', 'held'] as const;
/** Stripe's tax_behavior of the price: sales tax added to it, or already in it. */
export const TAX_BEHAVIORS = ['exclusive', 'inclusive'] as const;
/** Slugs the admin routes use for themselves (/admin/theses/new, /admin/theses/import). */
const RESERVED_SLUGS = new Set(['new', 'import']);

/** How long the public waits to read a record entry on /record (members read it at once). */
export const DEFAULT_EMBARGO_DAYS = 30;
const MAX_EMBARGO_DAYS = 3650;

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const required = (max: number) => text(max).min(1, 'is required');

export const thesisContentSchema = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'may contain only lower-case letters, digits and single hyphens')
    .max(80, 'must be at most 80 characters')
    .refine((slug) => !RESERVED_SLUGS.has(slug), 'is reserved'),
  series: text(200),
  subject: required(200),
  title: required(200),
  tagline: text(400),
  priceAmount: z.number().int().min(100, 'must be at least 1.00').max(10_000_00, 'must be at most 10,000.00'),
  currency: z.string().trim().toLowerCase().regex(/^[a-z]{3}$/, 'must be a three-letter code such as CAD'),
  // Older snapshots and files have none: tax was always added to the price then.
  taxBehavior: z.enum(TAX_BEHAVIORS, "must be exclusive (tax added) or inclusive (tax included)").default('exclusive'),
  publicBody: text(200_000),
  // Public Markdown placed after the offer; snapshots older than it have none.
  publicClosing: text(50_000).default(''),
  // One passage of the members' layer shown publicly on the paywall; snapshots older than it have none.
  membersExcerpt: text(5_000).default(''),
  footer: text(1000),
  disclosurePosition: z.enum(DISCLOSURE_POSITIONS),
  disclosurePositionSince: z.date().nullable(),
  disclosureCompensation: text(2000),
  disclosureStatement: text(2000),
  // Older snapshots and files have no embargo: they get the default, as the column does.
  recordEmbargoDays: z
    .number('must be a whole number of days')
    .int('must be a whole number of days')
    .min(0, 'must be 0 or more days')
    .max(MAX_EMBARGO_DAYS, `must be at most ${MAX_EMBARGO_DAYS} days`)
    .default(DEFAULT_EMBARGO_DAYS),
  stressTests: z.array(z.object({ argument: required(1000), assumption: required(1000), verdict: z.enum(VERDICTS) })).max(50),
  // `id` keeps a signal's row (and whatever history hangs off it) stable across edits.
  signals: z.array(z.object({ id: z.string().max(64).nullable(), title: required(200), description: required(2000) })).max(20),
  memberSections: z.array(z.object({ title: required(200), summary: required(1000), body: text(100_000) })).max(20),
});

export type ThesisContent = z.infer<typeof thesisContentSchema>;

export const DEFAULT_DISCLOSURE_STATEMENT =
  'This is general information only. It is not personalised investment advice and does not take into account your objectives, financial situation or needs.';

export const MEMBER_SECTION_TITLES = [
  'Position sizing',
  'Timing and entry levels',
  'Execution strategy',
  'Live signal tracking',
  'Capital rotation across layers',
];

/** What the editor shows for a new thesis. */
export function blankContent(): ThesisContent {
  return {
    slug: '',
    series: '',
    subject: '',
    title: '',
    tagline: '',
    priceAmount: 7500,
    currency: 'cad',
    taxBehavior: 'exclusive',
    publicBody: '',
    publicClosing: '',
    membersExcerpt: '',
    footer: '',
    disclosurePosition: '',
    disclosurePositionSince: null,
    disclosureCompensation: '',
    disclosureStatement: DEFAULT_DISCLOSURE_STATEMENT,
    recordEmbargoDays: DEFAULT_EMBARGO_DAYS,
    stressTests: [],
    signals: [],
    memberSections: MEMBER_SECTION_TITLES.map((title) => ({ title, summary: '', body: '' })),
  };
}

/** Validation failures as "field: problem" lines a person can act on. */
export class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

export function parseContent(candidate: unknown): ThesisContent {
  const parsed = thesisContentSchema.safeParse(candidate);
  if (!parsed.success) throw new ContentError(parsed.error.issues.map((issue) => `${issue.path.join(' ')}: ${issue.message}`));
  return parsed.data;
}

/** What is still missing before a thesis may go live; empty when it may be published. */
export function publishBlockers(content: ThesisContent): string[] {
  const blockers: string[] = [];
  if (!content.publicBody) blockers.push('The public body is empty.');
  if (content.disclosurePosition === '') blockers.push('Disclosure: say whether the author or publisher holds a position.');
  if (content.disclosurePosition === 'held' && !content.disclosurePositionSince)
    blockers.push('Disclosure: say since when the position is held.');
  if (!content.disclosureCompensation) blockers.push('Disclosure: state any compensation received (or "None").');
  if (!content.disclosureStatement) blockers.push('Disclosure: the "general information, not personalised advice" statement is required.');
  return blockers;
}

/** Names of the parts that differ, for a revision's one-line "what". */
export function changedParts(before: ThesisContent | null, after: ThesisContent): string[] {
  if (!before) return [];
  return (Object.keys(after) as (keyof ThesisContent)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}

/** A snapshot survives JSON: dates come back from strings. */
export function contentFromSnapshot(json: string): ThesisContent {
  const raw = JSON.parse(json);
  return parseContent({ ...raw, disclosurePositionSince: raw.disclosurePositionSince ? new Date(raw.disclosurePositionSince) : null });
}
