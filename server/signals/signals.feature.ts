import type { Platform } from '../ops/platform.ts';
import type { SessionCaches } from '../accounts/session-caches.ts';
import type { CatalogCaches } from '../catalog/catalog-caches.ts';
import { canReadMembersLayer } from '../access/access.ts';
import { isSessionLive } from '../accounts/session-check.ts';
import { createSignalHub, type SignalHub } from './signal-hub.ts';
import { createStreamLimits } from './stream-limits.ts';
import { eventsAfter, headSequence, replayAfter } from './stream-events.ts';
import { signalRoutes } from './signals.routes.ts';
import { recordRoutes } from './record.routes.ts';
import { signalAdminSection } from './signals-admin.routes.ts';
import { publicChainRecord } from './chain-record.ts';
import { latestSectionChanges } from './section-history.ts';
import { boardDigest } from './board-digest.ts';

// How often the broadcaster looks for updates written by any instance while streams are open.
const POLL_MS = 500;

/** Live signal tracking, assembled: one hub per app (so per process), shared by both routers. */
export function createSignalsFeature(deps: Platform & { sessions: SessionCaches; catalog: CatalogCaches }) {
  const { db, clock, config, logger } = deps;
  const hub: SignalHub = createSignalHub(
    {
      headSequence: (thesisId) => headSequence(db, thesisId),
      eventsAfter: (cursors) => eventsAfter(db, cursors),
      replayAfter: (thesisId, after) => replayAfter(db, thesisId, after),
      // The session as well as the entitlement: a stream outlives the request that checked the cookie.
      mayRead: async (viewer, thesisId) =>
        (await isSessionLive(db, deps.sessions, viewer, clock.now())) && canReadMembersLayer(db, viewer, thesisId),
    },
    { heartbeatMs: config.signalHeartbeatMs, pollMs: POLL_MS, logger, now: () => clock.now(), openStreams: deps.ops.metrics.sseStreams },
  );
  // A sign-out closes the streams of the sessions it ended at once, not at the next heartbeat.
  deps.sessions.onSessionsEnded(() => hub.recheck());
  // So does a change of access (admin revoke, refund, dispute), here at once and on the others after their poll.
  deps.changes.on('access', (userIds) => hub.recheck(userIds));
  // On SIGTERM, end every stream so the server can close; browsers' EventSource reconnects to another instance.
  deps.ops.shutdown.onShutdown('signal streams', () => hub.close());
  return {
    hub,
    routes: signalRoutes(deps, hub, createStreamLimits(config.signalStreamLimits)),
    // The public track record: open to everyone, content revealed after each thesis's embargo.
    recordRoutes: recordRoutes(deps),
    adminSection: signalAdminSection(deps, hub),
    // For the thesis page (catalog): the record's count and latest hash, never its content.
    publicRecord: (thesisId: string) => publicChainRecord(db, thesisId),
    // For the members' layer (catalog): when each section last changed after publication.
    sectionUpdates: (thesisId: string) => latestSectionChanges(db, thesisId),
    // For an owner's thesis page (catalog): the board's update count and latest date.
    boardDigest: (thesisId: string) => boardDigest(db, thesisId),
  };
}
