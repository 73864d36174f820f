import type { AdminSection } from '../http/admin-section.ts';

export interface AdminNavItem {
  href: string;
  label: string;
  current: boolean;
}

/**
 * The admin navigation for a path below /admin: every section, the one the page belongs to marked.
 * A section's own claim (alsoOwns) wins over a plain prefix, so /theses/x/signals is Signals, not Theses.
 */
export function adminNav(sections: readonly AdminSection[], path: string): AdminNavItem[] {
  const underHref = (section: AdminSection) => path === section.href || path.startsWith(`${section.href}/`);
  const owner = sections.find((section) => section.alsoOwns?.test(path)) ?? sections.find(underHref);
  return sections.map((section) => ({ href: `/admin${section.href}`, label: section.label, current: section === owner }));
}
