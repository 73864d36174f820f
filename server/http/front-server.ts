import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { PublicPageCache } from './public-page-cache.ts';

/**
 * The HTTP server main.ts listens with: a public page held in memory is answered before Express
 * runs at all (same bytes as through the app's own cache middleware); everything else goes to the app.
 */
export function createFrontServer(app: Express, publicPages: PublicPageCache): Server {
  return createServer((req, res) => {
    if (!publicPages.serveEarly(req, res)) app(req, res);
  });
}
