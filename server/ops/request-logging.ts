import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { redactUrl, runWithRequestId } from './logger.ts';

// A caller's id is kept only if it is a plain token: it is echoed in a header and written to logs.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Health probes arrive every few seconds; a line each would drown the useful ones. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Added to the line of a page answered from the public page cache. */
const CACHE_HIT = { publicPageCache: 'hit' };
const NO_PROPS = {};

/** The caller's X-Request-Id when it is a plain token, else a new one. */
export function requestIdFor(given: unknown): string {
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** pino-http, writing one line per completed request with the id already on the request. */
function completionLog(logger: Logger, customProps: (req: IncomingMessage, res: ServerResponse) => object) {
  return pinoHttp({
    logger,
    genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
    // No child logger bound to the id: the logger's mixin already puts it on every line (once).
    autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0]) },
    // A handler may lower its own line (res.locals.logLevel), e.g. for a client's malformed address.
    customLogLevel: (_req, res, error) =>
      (res as { locals?: { logLevel?: 'info' } }).locals?.logLevel ?? (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customProps,
    serializers: {
      // Only what helps to follow a request: never headers (cookies, tokens) or query credentials.
      req: (req) => ({ method: req.method, url: redactUrl(req.url ?? '') }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  });
}

/**
 * Gives every request an id (the caller's X-Request-Id, or a new one), echoes it in the response,
 * tags every log line written while serving it, and logs one line when the response completes.
 */
export function requestLogging(logger: Logger): RequestHandler[] {
  const assignId: RequestHandler = (req, res, next) => {
    const id = requestIdFor(req.get('x-request-id'));
    res.set('X-Request-Id', id);
    (req as { id?: string }).id = id;
    runWithRequestId(id, next);
  };
  const logCompletion = completionLog(logger, (_req, res) => ((res as { locals?: { publicPageCacheHit?: boolean } }).locals?.publicPageCacheHit ? CACHE_HIT : NO_PROPS));
  return [assignId, logCompletion];
}

/**
 * The same for a page answered before Express (http/front-server.ts): an id, and one line when it
 * completes for one hit in `every` (the first included). Sampled because a line per hit cost a
 * quarter of the cached pages' rate in `npm run bench`; each line says how many hits it stands for.
 * Returns the id for the caller to send.
 */
export function logEarlyHits(logger: Logger, every: number): (req: IncomingMessage, res: ServerResponse) => string {
  const sampled = every > 1 ? { ...CACHE_HIT, sampled: every } : CACHE_HIT;
  // Outside runWithRequestId (nothing else is logged for a hit), so the line names its id itself.
  const logCompletion = completionLog(logger, (req) => ({ reqId: (req as { id?: string }).id, ...sampled }));
  let hits = 0;
  return (req, res) => {
    const id = requestIdFor(req.headers['x-request-id']);
    (req as { id?: string }).id = id;
    if (hits++ % every === 0) logCompletion(req, res);
    return id;
  };
}
