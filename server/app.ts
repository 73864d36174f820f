import path from 'node:path';
import express, { type Express } from 'express';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import type { AppDeps } from './deps.ts';
import { REPO_ROOT } from './paths.ts';
import { useViews } from './http/views.ts';
import { createStaticAssets } from './http/static-assets.ts';
import { logQueryCounts } from './db/query-count.ts';
import { errorHandler, notFoundHandler } from './http/error-handler.ts';
import { csrfProtection } from './http/csrf.ts';
import { createSessionTokens } from './accounts/session-token.ts';
import { createSessionCookie } from './accounts/session-cookie.ts';
import { accountRoutes } from './accounts/accounts.routes.ts';
import { catalogRoutes } from './catalog/catalog.routes.ts';
import { checkoutRoutes } from './checkout/checkout.routes.ts';
import { webhookRoutes } from './checkout/webhook.routes.ts';
import { adminRoutes, type AdminSection } from './admin/admin.routes.ts';

/** Builds the site from its dependencies. No I/O here: main.ts and the tests decide what is real. */
export function createApp(deps: AppDeps): Express {
  const { config, clock, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  if (config.env === 'development') app.use(logQueryCounts(logger));
  const assets = createStaticAssets(path.join(REPO_ROOT, 'public'));
  useViews(app, { cache: config.env === 'production', assetUrl: assets.url });

  const sessions = createSessionCookie(createSessionTokens(config.jwtSecret, () => clock.now()), {
    secure: config.secureCookies,
  });

  // Anonymous public pages are answered from memory before anything below runs (it sits before
  // compression, so it keeps and replays the bytes as they went out).
  app.use(deps.caches.publicPages.middleware);
  app.use(compression());
  app.use(assets.middleware);
  // Before any body parser: the webhook needs the raw bytes its signature covers.
  app.use(webhookRoutes(deps));
  app.use(cookieParser());
  app.use(express.urlencoded({ extended: false, limit: '32kb' }));
  app.use(sessions.loadViewer);
  const csrf = csrfProtection({ secret: config.jwtSecret, secure: config.secureCookies });
  app.use(csrf.provideToken, csrf.protect);

  app.use(catalogRoutes(deps));
  app.use(checkoutRoutes(deps, sessions));
  app.use(accountRoutes(deps, sessions));
  // Each feature contributes its admin section here; all of them sit behind the one admin gate.
  const adminSections: AdminSection[] = [];
  app.use('/admin', adminRoutes(deps, adminSections));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
