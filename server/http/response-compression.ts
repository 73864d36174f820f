import type { RequestHandler } from 'express';
import compression from 'compression';

/**
 * gzip/br for clients that accept them (compression). A request that accepts no encoding skips the
 * middleware and the hooks it puts on every response (a few percent of a members' page in CPU
 * profiles); it still gets `Vary: Accept-Encoding`, so shared caches keep the variants apart.
 */
export function responseCompression(): RequestHandler {
  const compress = compression();
  return (req, res, next) => {
    if (req.headers['accept-encoding']) return compress(req, res, next);
    res.vary('Accept-Encoding');
    next();
  };
}
