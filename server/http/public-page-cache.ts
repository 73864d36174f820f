import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import fresh from 'fresh';
import { LRUCache } from 'lru-cache';
import { lruTimingOf, type Clock } from '../clock.ts';
import { nameRoute, routeLabelOf } from './route-label.ts';

export interface PublicPageCache {
  /** Mount before everything that renders pages (and before compression, so it stores what goes out). */
  middleware: RequestHandler;
  /**
   * The same lookup for a plain node:http request, before Express: answers and returns true on a
   * hit (Express alone costs more than half of what a bare server can do). See http/front-server.ts.
   * `observe` gives the hit what Express would have: its X-Request-Id, log line and metrics.
   */
  serveEarly(req: IncomingMessage, res: ServerResponse, observe: EarlyHitObserver): boolean;
  /** Drops every stored page: content changed. */
  clear(): void;
  readonly size: number;
}

/**
 * Called as a page is answered before Express, with the route that rendered it (its metrics label);
 * returns the X-Request-Id to send. ops/early-hits.ts logs and counts the hit.
 */
export type EarlyHitObserver = (req: IncomingMessage, res: ServerResponse, route: string) => string;

/** Work a route does on every answer of its page that is not in the bytes (counting a view). */
export type ServedHook = (req: IncomingMessage) => void;

/**
 * Runs `hook` for this request now and, if the page is kept, again on every answer of it from memory
 * (before Express or inside it), so what the route does per view still happens when it no longer runs.
 * The hook must be cheap and must not throw: it runs on the cached path.
 */
export function onEveryServe(req: IncomingMessage, res: Response, hook: ServedHook): void {
  hook(req);
  res.locals.publicPageServed = hook;
}

type HeaderValue = string | number | string[];

interface StoredPage {
  /** Name, value, name, value…: what writeHead takes as is (the cheapest way node:http sends headers). */
  headers: HeaderValue[];
  /** The same without the body's headers, for a 304. */
  notModifiedHeaders: HeaderValue[];
  body: Buffer;
  etag?: string;
  lastModified?: string;
  chunked: boolean;
  /** The route pattern that rendered it: a hit is counted under it (http/route-label.ts). */
  route: string;
  /** What the route asked to run on every answer (onEveryServe). */
  served?: ServedHook;
}

const MAX_BODY_BYTES = 1024 * 1024;
/** Dropped from a 304, as Express's res.send does for a fresh request. */
const BODY_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding']);
/**
 * Never stored: each response gets its own (Express's request logging sets the id, Node the date).
 * A response that sets a cookie is not stored at all (isShareable).
 */
const PER_REQUEST_HEADERS = new Set(['x-request-id', 'date', 'set-cookie']);
/** Headers a page may vary on and still be shared: cookies (we only serve cookieless requests) and encoding (in the key). */
const SHAREABLE_VARY = new Set(['cookie', 'accept-encoding']);

/** Whether the full stack declared this response shareable: the routes decide, the cache obeys. */
function isShareable(res: Response, size: number): boolean {
  if (res.statusCode !== 200 || size > MAX_BODY_BYTES || res.hasHeader('set-cookie')) return false;
  const cacheControl = String(res.getHeader('cache-control') ?? '').toLowerCase();
  if (!/\bpublic\b/.test(cacheControl) || /\b(private|no-store|no-cache)\b/.test(cacheControl)) return false;
  const vary = String(res.getHeader('vary') ?? '').toLowerCase().split(',').map((name) => name.trim()).filter(Boolean);
  return vary.every((name) => SHAREABLE_VARY.has(name));
}

/**
 * Serves anonymous GETs of public pages from memory, before the heavy path (session, CSRF, database,
 * Handlebars). On a miss the request runs through the full stack and the bytes it sent (status,
 * headers in their order and casing, body as compressed on the wire) are kept; a hit replays them,
 * answering If-None-Match/If-Modified-Since with 304 as Express would.
 *
 * Safety: a request with any Cookie or Authorization header never touches the cache (a signed-in
 * reader's page differs, and so might any page carrying per-visitor state); a response is kept only
 * when its route marked it `Cache-Control: public`, it sets no cookie and it varies on nothing but
 * Cookie and Accept-Encoding. Entries live `maxAgeMs` (a scheduled thesis appears within that) and
 * are dropped at once by clear(), which the catalog's contentChanged() reaches (catalog/catalog-caches.ts).
 * capture() wraps res.write/res.end, a patch of library internals: see server/PATCHES.md.
 */
export function createPublicPageCache(options: { clock: Clock; maxAgeMs?: number; maxEntries?: number }): PublicPageCache {
  // The least recently served page goes first when `maxEntries` are kept.
  const pages = new LRUCache<string, StoredPage>({
    max: options.maxEntries ?? 500,
    ttl: options.maxAgeMs ?? 60_000,
    ...lruTimingOf(options.clock),
  });
  let generation = 0;

  /** `requestId` for a hit before Express; inside it, requestLogging has already set the header. */
  function replay(req: IncomingMessage, res: ServerResponse, page: StoredPage, requestId?: string): void {
    // First, where Express's request logging puts it: the headers go out in the full stack's order.
    const withId = (headers: HeaderValue[]) => (requestId === undefined ? headers : ['X-Request-Id', requestId, ...headers]);
    if (fresh(req.headers, { etag: page.etag, 'last-modified': page.lastModified })) {
      res.writeHead(304, withId(page.notModifiedHeaders));
      res.end();
      return;
    }
    res.writeHead(200, withId(page.headers));
    if (page.chunked) {
      res.write(page.body);
      res.end();
    } else {
      res.end(page.body);
    }
  }

  function capture(key: string, req: Request, res: Response): void {
    const startedIn = generation;
    const chunks: Buffer[] = [];
    let wrote = 0;
    let chunked = false;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    const keep = (chunk: unknown, encoding: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, (typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding);
      wrote += buffer.length;
      if (wrote <= MAX_BODY_BYTES) chunks.push(buffer);
    };
    res.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      chunked = true;
      keep(chunk, encoding);
      return write(chunk, encoding, callback);
    }) as Response['write'];
    res.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown) => {
      keep(chunk, encoding);
      if (generation === startedIn && isShareable(res, wrote)) {
        const names = res.getHeaderNames();
        // Node ≥ 15.13; the names as set ("Content-Type"), in the same order as getHeaderNames().
        const rawNames = (res as unknown as { getRawHeaderNames(): string[] }).getRawHeaderNames();
        const headers = names
          .map((name, index) => [rawNames[index] ?? name, res.getHeader(name)!] as const)
          .filter(([name]) => !PER_REQUEST_HEADERS.has(name.toLowerCase()));
        pages.set(key, {
          headers: headers.flat(),
          notModifiedHeaders: headers.filter(([name]) => !BODY_HEADERS.has(name.toLowerCase())).flat(),
          body: Buffer.concat(chunks),
          etag: res.getHeader('etag') as string | undefined,
          lastModified: res.getHeader('last-modified') as string | undefined,
          chunked: chunked || !res.hasHeader('content-length'),
          route: routeLabelOf(req),
          served: res.locals.publicPageServed as ServedHook | undefined,
        });
      }
      return end(chunk, encoding, callback);
    }) as Response['end'];
  }

  const eligible = (req: IncomingMessage) =>
    req.method === 'GET' && req.headers.cookie === undefined && req.headers.authorization === undefined;
  // The same URL and Accept-Encoding get the same bytes from the full stack (compression included).
  const keyOf = (url: string, req: IncomingMessage) => `${url}\n${req.headers['accept-encoding'] ?? ''}`;

  return {
    serveEarly(req, res, observe) {
      if (!eligible(req)) return false;
      const page = pages.get(keyOf(req.url ?? '/', req));
      if (!page) return false;
      page.served?.(req);
      replay(req, res, page, observe(req, res, page.route));
      return true;
    },
    middleware(req, res, next) {
      if (!eligible(req)) return next();
      const key = keyOf(req.originalUrl, req);
      const page = pages.get(key);
      if (page) {
        // Counted and logged by ops/http-metrics.ts and ops/request-logging.ts as a hit, under the page's route.
        nameRoute(res, page.route);
        res.locals.publicPageCacheHit = true;
        page.served?.(req);
        return replay(req, res, page);
      }
      // A conditional request answered 304 by the full stack has no body worth keeping.
      if (!req.headers['if-none-match'] && !req.headers['if-modified-since']) capture(key, req, res);
      next();
    },
    clear() {
      generation++;
      pages.clear();
    },
    get size() {
      return pages.size;
    },
  };
}
