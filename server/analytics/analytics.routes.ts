import { Router, type Request } from 'express';
import type { Platform } from '../ops/platform.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { findThesisMetaBySlug } from '../catalog/thesis-lookup.repo.ts';
import { toCsv } from '../admin/csv.ts';
import { formatRate, funnelCsvRows, funnelSteps } from './funnel.ts';
import { PERIOD_DAYS, parsePeriodDays, periodEnding } from './period.ts';
import { thesisFunnelCounts } from './thesis-funnel.ts';

/** /admin/theses/:slug/analytics(.csv): one thesis's funnel over 7, 30 or 90 days. Behind the admin gate. */
export function analyticsRoutes({ db, clock }: Platform): Router {
  const router = Router();

  async function loadFunnel(req: Request) {
    const days = parsePeriodDays(req.query.days);
    if (days === null) throw badRequest(`The period must be ${PERIOD_DAYS.join(', ').replace(/, (\d+)$/, ' or $1')} days, e.g. ?days=30.`);
    const thesis = await findThesisMetaBySlug(db, String(req.params.slug));
    if (!thesis) throw notFound('There is no thesis with that slug.');
    const period = periodEnding(clock.now(), days);
    return { thesis, period, steps: funnelSteps(await thesisFunnelCounts(db, thesis.id, period)) };
  }

  router.get('/theses/:slug/analytics', async (req, res) => {
    const { thesis, period, steps } = await loadFunnel(req);
    res.set('Cache-Control', 'private, no-store').render('admin/thesis-analytics', {
      title: `Analytics: ${thesis.title}`,
      thesis,
      period,
      periods: PERIOD_DAYS.map((days) => ({ days, current: days === period.days })),
      steps: steps.map((step) => ({ ...step, rateText: step.rate && formatRate(step.rate.value) })),
    });
  });

  router.get('/theses/:slug/analytics.csv', async (req, res) => {
    const { thesis, period, steps } = await loadFunnel(req);
    const { header, rows } = funnelCsvRows(steps);
    res
      .set('Cache-Control', 'private, no-store')
      .set('Content-Type', 'text/csv; charset=utf-8')
      .attachment(`${thesis.slug}-funnel-${period.fromDay}-to-${period.toDay}.csv`)
      .send(toCsv(header, rows));
  });

  return router;
}
