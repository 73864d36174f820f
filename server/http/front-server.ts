import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { Config } from '../config.ts';
import type { EarlyHitObserver, PublicPageCache } from './public-page-cache.ts';

/**
 * The HTTP server main.ts listens with: a public page held in memory is answered before Express
 * runs at all (same bytes as through the app's own cache middleware); everything else goes to the app.
 * `observeHits` (ops/early-hits.ts) gives each hit what Express's first middleware gives every
 * request: its own X-Request-Id, a log line and its metrics.
 *
 * Its limits stop slow-body and slow-header attacks: a request must arrive whole within
 * requestTimeout (headers within headersTimeout), else Node answers 408 and closes the socket; past
 * maxConnections new sockets are closed at once. Open signal streams are not affected: their request
 * arrived whole long ago, only the response goes on.
 */
export function createFrontServer(app: Express, publicPages: PublicPageCache, limits: Config['http'], observeHits: EarlyHitObserver): Server {
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      // Node looks for expired requests on this interval (30 s by default): a fraction of the
      // shortest timeout, so one is enforced close to when it falls due.
      connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    (req, res) => {
      if (!publicPages.serveEarly(req, res, observeHits)) app(req, res);
    },
  );
  server.maxConnections = limits.maxConnections;
  return server;
}
