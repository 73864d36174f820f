import { Router } from 'express';
import type { Platform } from '../ops/platform.ts';
import type { AdminSection } from '../http/admin-section.ts';
import { requireAdmin } from './admin-gate.ts';
import { adminNav } from './admin-nav.ts';

/**
 * /admin: the gate first, then the navigation every admin page shows, the home page (`home`:
 * analytics' dashboard, handed in by app.ts, as analytics sits above admin) and every feature's admin router.
 */
export function adminRoutes({ db, config }: Platform, sections: AdminSection[], home: Router): Router {
  const router = Router();
  router.use(requireAdmin(db, config.adminEmails));
  // Set here, read by the layout: every admin page gets the same navigation in the same place.
  router.use((req, res, next) => {
    res.locals.adminNav = adminNav(sections, req.path);
    res.locals.adminHome = req.path === '/';
    next();
  });
  router.use(home);
  for (const section of sections) router.use(section.router);
  return router;
}
