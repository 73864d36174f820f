import type { Router } from 'express';

/**
 * A section of the admin area: linked from the dashboard, served by its feature's router. Shared,
 * so a feature below admin (mail, signals) can offer one without importing admin.
 */
export interface AdminSection {
  href: string;
  label: string;
  description: string;
  router: Router;
}
