import { Router } from 'express';
import type { Platform } from '../ops/platform.ts';
import { requireAdmin } from './admin-gate.ts';

/** A section of the admin area: linked from the dashboard, served by its feature's router. */
export interface AdminSection {
  href: string;
  label: string;
  description: string;
  router: Router;
}

/** /admin: the gate first, then the dashboard and every feature's admin router behind it. */
export function adminRoutes({ db, config }: Platform, sections: AdminSection[]): Router {
  const router = Router();
  router.use(requireAdmin(db, config.adminEmails));
  router.get('/', (_req, res) => {
    res.render('admin/dashboard', { title: 'Admin', sections });
  });
  for (const section of sections) router.use(section.router);
  return router;
}
