import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { redactUrl, runWithRequestId } from './logger.ts';

// A caller's id is kept only if it is a plain token: it is echoed in a header and written to logs.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Health probes arrive every few seconds; a line each would drown the useful ones. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Gives every request an id (the caller's X-Request-Id, or a new one), echoes it in the response,
 * tags every log line written while serving it, and logs one line when the response completes.
 */
export function requestLogging(logger: Logger): RequestHandler[] {
  const assignId: RequestHandler = (req, res, next) => {
    const given = req.get('x-request-id');
    const id = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.set('X-Request-Id', id);
    (req as { id?: string }).id = id;
    runWithRequestId(id, next);
  };
  const logCompletion = pinoHttp({
    logger,
    genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
    // No child logger bound to the id: the logger's mixin already puts it on every line (once).
    autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0]) },
    // A handler may lower its own line (res.locals.logLevel), e.g. for a client's malformed address.
    customLogLevel: (_req, res, error) =>
      (res as { locals?: { logLevel?: 'info' } }).locals?.logLevel ?? (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: {
      // Only what helps to follow a request: never headers (cookies, tokens) or query credentials.
      req: (req) => ({ method: req.method, url: redactUrl(req.url ?? '') }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  });
  return [assignId, logCompletion];
}
