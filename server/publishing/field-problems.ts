/**
 * The editor's problems ("price: write an amount…", "stressTests 1 assumption: is required") placed at
 * the field they are about, as well as in the summary at the top. A problem in a repeated row (stress
 * test, signals, members' sections) names the row's index among the non-blank rows, which is also its
 * index in the re-shown form (formValuesAsTyped drops blank rows the same way).
 */
const FIELD_OF: Record<string, string> = {
  slug: 'slug',
  series: 'series',
  subject: 'subject',
  title: 'title',
  tagline: 'tagline',
  price: 'price',
  priceAmount: 'price',
  currency: 'currency',
  taxBehavior: 'taxBehavior',
  publicBody: 'publicBody',
  publicClosing: 'publicClosing',
  membersExcerpt: 'membersExcerpt',
  footer: 'footer',
  'disclosure since': 'disclosurePositionSince',
  disclosurePositionSince: 'disclosurePositionSince',
  disclosureCompensation: 'disclosureCompensation',
  disclosureStatement: 'disclosureStatement',
  recordEmbargoDays: 'recordEmbargoDays',
};

/** Each repeated group as the editor's legend names it, and its columns as their labels do. */
const ROW_GROUPS = {
  stressTests: { name: 'Stress test', columns: { argument: 'counter-argument', assumption: 'its assumption', verdict: 'verdict' } },
  signals: { name: 'Signals', columns: { title: 'title', description: 'description' } },
  memberSections: { name: "Members' sections", columns: { title: 'title', summary: 'summary', body: 'body' } },
} as const satisfies Record<string, { name: string; columns: Record<string, string> }>;
type RowGroup = keyof typeof ROW_GROUPS;

const ROW_PROBLEM = /^(stressTests|signals|memberSections) (\d+) (\w+)$/;

type RowErrors = Record<string, string>;
export type EditorProblems = {
  /** What the summary lists: as given, except that row problems name the row as the editor shows it. */
  summary: string[];
  /** Field id → its first problem. */
  errors: Record<string, string>;
  /** Group → row index → column → its first problem. */
  rows: Record<RowGroup, RowErrors[]>;
};

export function editorProblems(problems: string[]): EditorProblems {
  const result: EditorProblems = { summary: [], errors: {}, rows: { stressTests: [], signals: [], memberSections: [] } };
  for (const problem of problems) {
    const colon = problem.indexOf(': ');
    const [where, message] = colon > 0 ? [problem.slice(0, colon), problem.slice(colon + 2)] : ['', problem];
    const row = ROW_PROBLEM.exec(where);
    const group = row ? ROW_GROUPS[row[1] as RowGroup] : undefined;
    const column = row && group ? (group.columns as Record<string, string>)[row[3]] : undefined;
    if (row && column) {
      const index = Number(row[2]);
      const errors = (result.rows[row[1] as RowGroup][index] ??= {});
      errors[row[3]] ??= message;
      result.summary.push(`${group!.name}, row ${index + 1}, ${column}: ${message}`);
      continue;
    }
    const field = FIELD_OF[where];
    if (field) result.errors[field] ??= message;
    result.summary.push(problem);
  }
  return result;
}

/** The form's rows, each with the problems found in it (`errors`, empty when none). */
export function withRowErrors<F extends Record<RowGroup, object[]>>(form: F, rows: EditorProblems['rows']): F {
  const marked = { ...form };
  for (const group of Object.keys(ROW_GROUPS) as RowGroup[]) {
    marked[group] = form[group].map((item, index) => ({ ...item, errors: rows[group][index] ?? {} })) as F[RowGroup];
  }
  return marked;
}
