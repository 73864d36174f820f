import { Router, type Request } from 'express';
import type { Platform } from '../ops/platform.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { toCsv } from '../admin/csv.ts';
import { formatRate, funnelCsvRows } from './funnel.ts';
import { PERIOD_DAYS, parsePeriodDays } from './period.ts';
import { thesisFunnel } from './thesis-funnel.ts';
import { purchaseSources, purchaseSourcesCsvRows, sourceRowsForView } from './purchase-sources.ts';

/**
 * /admin/theses/:slug/analytics(.csv): one thesis's funnel over 7, 30 or 90 days, and where its buyers
 * came from (…/analytics/sources.csv). Behind the admin gate.
 */
export function analyticsRoutes({ db, clock }: Platform): Router {
  const router = Router();

  async function load(req: Request) {
    const days = parsePeriodDays(req.query.days);
    if (days === null) throw badRequest('The period must be 7, 30 or 90 days: ?days=7, ?days=30 or ?days=90.');
    const funnel = await thesisFunnel(db, String(req.params.slug), days, clock.now());
    if (!funnel) throw notFound('There is no thesis with that slug.');
    return funnel;
  }

  router.get('/theses/:slug/analytics', async (req, res) => {
    const { thesis, period, steps } = await load(req);
    const sources = await purchaseSources(db, period, thesis.id);
    res.set('Cache-Control', 'private, no-store').render('admin/thesis-analytics', {
      title: `Analytics: ${thesis.title}`,
      thesis,
      period,
      periods: PERIOD_DAYS.map((days) => ({ days, current: days === period.days })),
      steps: steps.map((step) => ({ ...step, rateText: step.rate && formatRate(step.rate.value) })),
      sources: sourceRowsForView(sources),
      sourcesCsv: `/admin/theses/${thesis.slug}/analytics/sources.csv?days=${period.days}`,
    });
  });

  router.get('/theses/:slug/analytics/sources.csv', async (req, res) => {
    const { thesis, period } = await load(req);
    const { header, rows } = purchaseSourcesCsvRows(await purchaseSources(db, period, thesis.id));
    res
      .set('Cache-Control', 'private, no-store')
      .type('text/csv; charset=utf-8')
      .attachment(`${thesis.slug}-buyer-sources-${period.fromDay}-to-${period.toDay}.csv`)
      .send(toCsv(header, rows));
  });

  router.get('/theses/:slug/analytics.csv', async (req, res) => {
    const { thesis, period, steps } = await load(req);
    const { header, rows } = funnelCsvRows(steps);
    res
      .set('Cache-Control', 'private, no-store')
      .type('text/csv; charset=utf-8')
      .attachment(`${thesis.slug}-funnel-${period.fromDay}-to-${period.toDay}.csv`)
      .send(toCsv(header, rows));
  });

  return router;
}
