/**
 * The editor's problems ("price: write an amount…", "recordEmbargoDays: must be…") by the id of the
 * field they are about, so each can be shown at its field as well as in the summary at the top.
 * Problems in repeated rows (stress test, signals, sections) have no single field and stay in the summary.
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
  'disclosure since': 'disclosurePositionSince',
  disclosurePositionSince: 'disclosurePositionSince',
  disclosureCompensation: 'disclosureCompensation',
  disclosureStatement: 'disclosureStatement',
  recordEmbargoDays: 'recordEmbargoDays',
};

export function fieldProblems(problems: string[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const problem of problems) {
    const colon = problem.indexOf(': ');
    const field = colon > 0 ? FIELD_OF[problem.slice(0, colon)] : undefined;
    if (field && !byField[field]) byField[field] = problem.slice(colon + 2);
  }
  return byField;
}
