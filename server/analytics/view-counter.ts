import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { BuyerSource } from '../checkout/checkout-attempts.ts';
import { DailyVisitors } from './daily-visitors.ts';
import { FirstTouches, siteHost, sourceOfRequest } from './first-touch.ts';
import { clientAddress, isCountableView } from './countable-view.ts';
import { addPageViews, type PageKind, type PageViewIncrement } from './page-views.repo.ts';
import { utcDay } from './period.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ViewCounter {
  /**
   * Counts a view of a thesis's page if it is a person's (countable-view.ts): a hash and a Map/Set
   * update in memory, no I/O, so the public page (cached path included) keeps its speed.
   */
  count(req: IncomingMessage, kind: PageKind, thesisId: string): void;
  /**
   * Where the visitor making this request (a checkout being started) came from: their first touch
   * today that carried a source, as this instance saw it while counting their views, else what the
   * request itself carries (first-touch.ts); null for direct or unknown. Memory only, no I/O.
   */
  sourceOf(req: IncomingMessage): BuyerSource | null;
  /** Writes what was counted since the last write, as increments. Calls run one after another. */
  flush(): Promise<void>;
  /** Flushes every `flushEveryMs` until stop(). */
  start(): void;
  stop(): void;
}

export interface ViewCounterDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Express's `trust proxy` hop count: whose address is the visitor's. */
  trustProxy: number;
  flushEveryMs: number;
  /** Unique visitors remembered per day on this instance (see daily-visitors.ts); first touches too. */
  maxVisitorsPerDay?: number;
  /** First touches kept per day (each up to ~1 KB with its four values): a flood fills this, not the memory. */
  maxFirstTouchesPerDay?: number;
  /** The site's own URL: a Referer from it is not a source. */
  appUrl: string;
}

/**
 * Page views counted in memory and written in batches: each instance adds its own increments to the
 * (day, thesis, kind) rows, so instances add up. Unique visitors are known per instance only: a
 * visitor whose requests reach two instances the same day is counted once on each (acceptable; see
 * README.md). What has not been written is lost if the process dies: at most `flushEveryMs` of counts.
 */
export function createViewCounter({ db, clock, logger, trustProxy, flushEveryMs, maxVisitorsPerDay = 100_000, maxFirstTouchesPerDay = 20_000, appUrl }: ViewCounterDeps): ViewCounter {
  const ownHost = siteHost(new URL(appUrl).hostname);
  const firstTouches = new FirstTouches(maxFirstTouchesPerDay);
  const visitors = new DailyVisitors(maxVisitorsPerDay, (day, max) =>
    logger.warn({ day, max }, 'more unique visitors today than this instance remembers: new ones count as views only until the day ends'),
  );
  let pending = new Map<string, PageViewIncrement>();
  let writing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  // The current UTC day's name, made again only when the clock leaves it (Unix time has no leap
  // seconds, so a UTC day is a whole multiple of DAY_MS).
  let day = { name: '', from: 0, until: 0 };
  const dayOf = (now: Date) => {
    const at = now.getTime();
    if (at < day.from || at >= day.until) {
      const from = at - (((at % DAY_MS) + DAY_MS) % DAY_MS);
      day = { name: utcDay(now), from, until: from + DAY_MS };
    }
    return day.name;
  };

  const add = (row: PageViewIncrement) => {
    const key = `${row.day}\n${row.kind}\n${row.thesisId}`;
    const counted = pending.get(key);
    if (counted) {
      counted.views += row.views;
      counted.visitors += row.visitors;
    } else {
      pending.set(key, { ...row });
    }
  };

  async function write(): Promise<void> {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending = new Map();
    try {
      await addPageViews(db, batch);
    } catch (error) {
      // Kept for the next write: nothing counted is dropped while the database is away.
      for (const row of batch) add(row);
      throw error;
    }
  }

  const flush = () => {
    const run = writing.then(write);
    writing = run.catch(() => undefined);
    return run;
  };

  return {
    count(req, kind, thesisId) {
      if (!isCountableView(req)) return;
      const today = dayOf(clock.now());
      const address = clientAddress(req, trustProxy);
      const userAgent = req.headers['user-agent']!;
      const first = visitors.firstVisitToday(today, address, userAgent, `${kind}\n${thesisId}`);
      add({ day: today, thesisId, kind, views: 1, visitors: first ? 1 : 0 });
      // Only a view that carries a source costs a second hash.
      const source = sourceOfRequest(req, ownHost);
      if (source) firstTouches.remember(today, visitors.visitorKey(today, address, userAgent), source);
    },
    sourceOf(req) {
      const today = dayOf(clock.now());
      const userAgent = req.headers['user-agent'];
      const remembered = userAgent ? firstTouches.recall(today, visitors.visitorKey(today, clientAddress(req, trustProxy), userAgent)) : null;
      return remembered ?? sourceOfRequest(req, ownHost);
    },
    flush,
    start() {
      timer ??= setInterval(() => {
        flush().catch((error: unknown) => logger.warn({ err: error }, 'page view counts not written; kept for the next try'));
      }, flushEveryMs);
      // Never what keeps the process alive: the shutdown's last flush writes what is left.
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
