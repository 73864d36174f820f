import path from 'node:path';
import express, { Router, type Express } from 'express';
import { responseCompression } from './http/response-compression.ts';
import cookieParser from 'cookie-parser';
import type { Server } from 'node:http';
import type { Platform } from './ops/platform.ts';
import type { StripeGateway } from './checkout/stripe-gateway.ts';
import type { SessionCaches } from './accounts/session-caches.ts';
import type { AccessCache } from './access/access-cache.ts';
import type { CatalogCaches } from './catalog/catalog-caches.ts';
import type { ThesisWrites } from './publishing/thesis-writes.ts';
import type { SitePages } from './pages/site-pages.ts';
import { sitePagesRoutes } from './pages/site-pages.routes.ts';
import { sitePagesAdminSection } from './pages/site-pages-admin.routes.ts';
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
import { checkoutPageOrigins } from './checkout/stripe-gateway.ts';
import { adminRoutes } from './admin/admin.routes.ts';
import { markAdmins } from './admin/admin-link.ts';
import type { AdminSection } from './http/admin-section.ts';
import { createSignalsFeature } from './signals/signals.feature.ts';
import { feedRoutes } from './catalog/feeds.routes.ts';
import { publishingRoutes } from './publishing/publishing.routes.ts';
import { securityHeaders } from './http/security-headers.ts';
import { canonicalPath } from './http/canonical-path.ts';
import { rejectNonStringInput } from './http/input-guard.ts';
import { createSessionStore } from './accounts/session-store.ts';
import { accountAreaRoutes } from './accounts/account.routes.ts';
import { membersAdminRoutes } from './admin/members.routes.ts';
import { adminRefundRoutes, purchaseRefundsView } from './checkout/admin-refunds.routes.ts';
import { unsubscribeRoutes } from './mail/unsubscribe.routes.ts';
import { mailAdminSection } from './mail/mail-admin.routes.ts';
import { offersAdminSection } from './checkout/offers-admin.routes.ts';
import { offerForThesisPage } from './checkout/offers.ts';
import { devInboxRoutes } from './mail/dev-inbox.routes.ts';
import { opsRoutes } from './ops/ops.routes.ts';
import { requestLogging } from './ops/request-logging.ts';
import { httpMetrics } from './ops/http-metrics.ts';
import { observeEarlyHits } from './ops/early-hits.ts';
import { createFrontServer } from './http/front-server.ts';
import { countingCheckouts } from './checkout/checkout-metrics.ts';
import type { TestPayments } from './dev/test-payments/test-payments.ts';
import { testPaymentRoutes } from './dev/test-payments/test-payments.routes.ts';
import type { ViewCounter } from './analytics/view-counter.ts';
import type { AlertOpens } from './analytics/alert-opens.ts';
import { analyticsRoutes } from './analytics/analytics.routes.ts';
import { dashboardRoutes } from './analytics/dashboard.routes.ts';
import { receiptRoutes } from './receipts/receipts.routes.ts';

/** Everything the app is built from: the platform and each feature's services (server/deps.ts builds them once). */
export interface AppDeps extends Platform {
  /** null when payments are not configured. */
  stripe: StripeGateway | null;
  sessions: SessionCaches;
  access: AccessCache;
  catalog: CatalogCaches;
  thesisWrites: ThesisWrites;
  /** Terms, refunds, privacy and contact: the publisher's text or the defaults. */
  sitePages: SitePages;
  /** The local Stripe of test-payment mode (never in production); null with real keys. */
  testPayments: TestPayments | null;
  /** Views of the public thesis pages and buy pages, counted in memory and written in batches. */
  pageViews: ViewCounter;
  alertOpens: AlertOpens;
}

/** Builds the site from its dependencies (server/deps.ts builds them). No I/O here. */
export function createApp(given: AppDeps): Express {
  // Checkout Sessions are counted at the gateway, whichever route creates them.
  const deps: AppDeps = { ...given, stripe: countingCheckouts(given.stripe, given.ops.metrics) };
  const { config, clock, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  // Behind a proxy (compose.yaml's Caddy), per-IP limits must see the visitor, not the proxy.
  if (config.trustProxy > 0) app.set('trust proxy', config.trustProxy);
  // First: every later line is tagged with the request id, and every response is timed.
  app.use(requestLogging(logger), httpMetrics(deps.ops.metrics));
  app.use(opsRoutes(deps));
  if (config.env === 'development') app.use(logQueryCounts(logger));
  const assets = createStaticAssets(path.join(REPO_ROOT, 'public'));
  useViews(app, { cache: config.env === 'production', assetUrl: assets.url });
  // Every page says so when payments are simulated (the layout's banner).
  app.locals.testPayments = deps.testPayments !== null;
  // One name everywhere: the title, the header's brand and the footer say what e-mails and feeds say.
  app.locals.publisherName = config.publisherName;

  const sessions = createSessionCookie(
    createSessionTokens(config.jwtSecret, () => clock.now()),
    createSessionStore(deps),
    { secure: config.secureCookies, now: () => clock.now() },
  );

  app.use(securityHeaders({ secure: config.secureCookies, formTargets: checkoutPageOrigins(config.stripe) }));
  app.use(canonicalPath);
  // Anonymous public pages are answered from memory before anything below runs (it sits before
  // compression, so it keeps and replays the bytes as they went out).
  app.use(deps.catalog.publicPages.middleware);
  app.use(responseCompression());
  app.use(assets.middleware);
  // Before any body parser and the CSRF check: the webhook reads the raw bytes its signature covers,
  // and that signature, not a form token, is what authenticates it.
  app.use(webhookRoutes(deps));
  app.use(cookieParser());
  // Whole theses are posted from the admin editor: a larger (still bounded) limit under /admin only.
  app.use('/admin', express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 1000 }));
  app.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 100 }));
  app.use(rejectNonStringInput({ repeatedFieldsUnder: '/admin/theses' }));
  app.use(sessions.loadViewer);
  // The layout's "Admin" link; the admin gate still decides on every /admin request.
  app.use(markAdmins({ db: deps.db, clock, adminEmails: config.adminEmails }));
  const csrf = csrfProtection({ secret: config.jwtSecret, secure: config.secureCookies });
  app.use(csrf.provideToken);
  // Before the CSRF check: mail clients send the RFC 8058 one-click POST with no form token; the
  // signed token in its URL is what authorises it (see mail/unsubscribe.routes.ts).
  app.use(unsubscribeRoutes(deps));
  app.use(csrf.protect);

  // Built before the routes are mounted: the thesis page shows the signal record's public proof.
  const signals = createSignalsFeature(deps);
  app.use(
    catalogRoutes(deps, {
      signalRecord: signals.publicRecord,
      sectionUpdates: signals.sectionUpdates,
      boardDigest: signals.boardDigest,
      viewed: (req, thesisId) => deps.pageViews.count(req, 'thesis', thesisId),
      memberRead: (userId, thesisId) => deps.alertOpens.record(userId, thesisId),
      // Offers live in checkout (above catalog): the thesis page asks it about a link's code.
      offer: (code, thesisId) => offerForThesisPage(deps.db, code, thesisId, clock.now()),
    }),
  );
  app.use(feedRoutes(deps, { recentHeads: signals.recentHeads }));
  app.use(sitePagesRoutes(deps));
  app.use(
    checkoutRoutes(
      deps,
      sessions,
      (req, thesisId) => deps.pageViews.count(req, 'buy', thesisId),
      (req) => deps.pageViews.sourceOf(req),
    ),
  );
  app.use(accountRoutes(deps, sessions));
  app.use(accountAreaRoutes(deps, sessions));
  app.use(receiptRoutes(deps, deps.stripe ? (invoiceId) => deps.stripe!.retrieveInvoiceLinks(invoiceId) : undefined));
  // The development inbox shows every e-mail written to disk: never in production.
  if (config.env !== 'production') app.use(devInboxRoutes(deps));
  if (deps.testPayments) app.use(testPaymentRoutes(deps.testPayments.local, config.appUrl));
  app.use(signals.routes);
  app.use(signals.recordRoutes);
  // Each feature contributes its admin section here; all of them sit behind the one admin gate.
  const adminSections: AdminSection[] = [
    {
      href: '/theses',
      label: 'Theses',
      description: 'write, preview, schedule, publish, archive, import and export; each thesis\'s funnel',
      // A thesis's funnel (/theses/:slug/analytics) belongs to the thesis, so to this section.
      router: Router().use(publishingRoutes(deps), analyticsRoutes(deps)),
    },
    signals.adminSection,
    {
      href: '/members',
      label: 'Members',
      description: 'search members, see their purchases and entitlements, grant or revoke access, refund purchases, export CSV',
      // Refunds belong to the payments feature (checkout/), which sits above admin: it supplies them here.
      router: express
        .Router()
        .use(membersAdminRoutes({ ...deps, purchaseRefunds: purchaseRefundsView(deps.db, deps.stripe !== null) }))
        .use(adminRefundRoutes(deps)),
    },
    // Offers are made in Stripe (checkout/, above admin): it supplies the section.
    offersAdminSection(deps),
    sitePagesAdminSection(deps),
    mailAdminSection(deps),
  ];
  app.use('/admin', adminRoutes(deps, adminSections, dashboardRoutes(deps, adminSections)));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

/**
 * The HTTP server to listen with: anonymous public pages held in memory are answered before Express
 * (logged and counted all the same), everything else by `app` (tests pass the app they also call).
 */
export function createSiteServer(deps: AppDeps, app: Express = createApp(deps)): Server {
  return createFrontServer(app, deps.catalog.publicPages, deps.config.http, observeEarlyHits(deps.logger, deps.ops.metrics, deps.config.cacheHitLogEvery));
}
