import type { Router } from 'express';

/**
 * A section of the admin area: linked from the dashboard and the admin navigation, served by its
 * feature's router. Shared, so a feature below admin (mail, signals) can offer one without importing admin.
 */
export interface AdminSection {
  href: string;
  label: string;
  description: string;
  router: Router;
  /** Paths (below /admin) this section also owns, for the navigation's aria-current: signals live under /theses/:slug too. */
  alsoOwns?: RegExp;
}
