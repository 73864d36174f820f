import { Router } from 'express';
import type { Platform } from '../ops/platform.ts';
import type { AdminSection } from '../http/admin-section.ts';
import { requireAdmin } from './admin-gate.ts';

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
