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

/**
 * The key of each section of a list, in order: repeated titles get -2, -3…, skipping any key that
 * another section's own title gives (a "Sizing 2" next to two "Sizing"), so no two sections share one.
 */
export function sectionKeys(sections: readonly { title: string }[]): string[] {
  const bases = sections.map((section) => sectionKeyOf(section.title));
  const used = new Set(bases);
  const seen = new Set<string>();
  return bases.map((base) => {
    if (!seen.has(base)) {
      seen.add(base);
      return base;
    }
    let n = 2;
    while (used.has(`${base}-${n}`)) n++;
    const key = `${base}-${n}`;
    used.add(key);
    return key;
  });
}
