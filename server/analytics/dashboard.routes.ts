import { Router } from 'express';
import type { Platform } from '../ops/platform.ts';
import type { AdminSection } from '../http/admin-section.ts';
import { toCsv } from '../admin/csv.ts';
import { deskNumbers } from '../admin/desk-numbers.ts';
import { dashboardNumbers } from './dashboard.ts';
import { parseDashboardQuery, parseDashboardTable } from './dashboard-query.ts';
import { dashboardCsv } from './dashboard-tables.ts';
import { dashboardView } from './dashboard-view.ts';

/**
 * /admin (the publisher's dashboard) and /admin/analytics.csv?table=… (each of its tables). Mounted
 * behind the admin gate by admin.routes.ts, which is handed this router by app.ts.
 */
export function dashboardRoutes({ db, clock }: Platform, sections: readonly AdminSection[]): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const now = clock.now();
    const query = parseDashboardQuery(req.query, now);
    const [numbers, desk] = await Promise.all([dashboardNumbers(db, query, now), deskNumbers(db, now)]);
    res.set('Cache-Control', 'private, no-store').render('admin/dashboard', { title: 'Admin', sections, numbers: desk, dashboard: dashboardView(numbers, query) });
  });

  router.get('/analytics.csv', async (req, res) => {
    const now = clock.now();
    const table = parseDashboardTable(req.query.table);
    const query = parseDashboardQuery(req.query, now);
    const { header, rows } = dashboardCsv(table, await dashboardNumbers(db, query, now));
    res
      .set('Cache-Control', 'private, no-store')
      .type('text/csv; charset=utf-8')
      .attachment(`${table}-${query.granularity}-${query.period.fromDay}-to-${query.period.toDay}.csv`)
      .send(toCsv(header, rows));
  });

  return router;
}
