/**
 * The key of a members' section: the slug of its title. The record of section changes (signals),
 * the thesis page's "Updated" notes and the history links (here) all name a section by it, so it
 * lives in the lowest feature that shows sections.
 */
export function sectionKeyOf(title: string): string {
  return (
    title
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'section'
  );
}

/** The key of each section of a list, in order: repeated titles get -2, -3…. */
export function sectionKeys(sections: readonly { title: string }[]): string[] {
  const seen = new Map<string, number>();
  return sections.map((section) => {
    const base = sectionKeyOf(section.title);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}

