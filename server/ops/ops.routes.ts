import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Config } from '../config.ts';
import { HttpError } from '../http/errors.ts';
import type { OpsDeps } from './ops-deps.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time check of `Authorization: Bearer <token>` (hashing first evens out the lengths). */
function hasBearer(req: Request, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
  return match !== null && timingSafeEqual(digest(match[1]), digest(token));
}

/** Probes for the orchestrator and the scrape endpoint for Prometheus; no cookies, no CSRF, no caching. */
export function opsRoutes({ config, ops }: { config: Pick<Config, 'metricsToken'>; ops: OpsDeps }): Router {
  const router = Router();
  router.use(['/healthz', '/readyz', '/metrics'], (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  // Alive: the event loop answers. Deliberately checks nothing else, so a database outage does not
  // get every replica restarted; /readyz takes the replica out of rotation instead.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const report = await ops.readiness();
    res.status(report.ready ? 200 : 503).json(report);
  });

  router.get('/metrics', async (req, res, next) => {
    // Unset token: the endpoint does not exist, rather than exist unprotected.
    if (!config.metricsToken) return next();
    if (!hasBearer(req, config.metricsToken)) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new HttpError(401, 'A valid bearer token is required.', 'Not authorised');
    }
    res.type(ops.metrics.registry.contentType).send(await ops.metrics.registry.metrics());
  });
  return router;
}
