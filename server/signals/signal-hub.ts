import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Viewer } from '../accounts/viewer.ts';
import type { StreamEvent } from './stream-events.ts';

/** Where the hub reads from; stream-events.ts over the database in the app. */
export interface SignalHubSource {
  headSequence(thesisId: string): Promise<number>;
  eventsAfter(cursors: ReadonlyMap<string, number>): Promise<{ events: Map<string, StreamEvent[]>; more: boolean }>;
  replayAfter(thesisId: string, afterSequence: number): Promise<StreamEvent[]>;
  /** The access decision, asked again at every heartbeat so a revoked member or an ended session is cut off. */
  mayRead(viewer: Viewer, thesisId: string): Promise<boolean>;
}

export interface SignalHubOptions {
  heartbeatMs: number;
  pollMs: number;
  logger: Logger;
  /** The injected clock's time: a stream whose session token expired is closed at the next poll tick. */
  now: () => Date;
  /** Counts open streams for /metrics. */
  openStreams?: { inc(): void; dec(): void };
}

export interface SignalHub {
  /** Takes over an HTTP response as an event stream; `after` is the last sequence the client has. */
  open(res: ServerResponse, viewer: Viewer, thesisId: string, after: number | null): Promise<void>;
  /** A local update was just committed: look now rather than at the next poll. */
  poke(): void;
  /**
   * Sessions or access ended: ask every open stream's access now rather than at the next heartbeat.
   * Given the people concerned, only when one of them has a stream open (a new buyer's purchase costs nothing).
   */
  recheck(userIds?: readonly string[]): void;
  readonly size: number;
  close(): void;
}

/** What one open stream costs: these five fields. Everything else is shared per thesis or per process. */
interface Stream {
  thesisId: string;
  viewer: Viewer;
  res: ServerResponse;
  lastSent: number;
  /** Events that arrived while this stream's replay was being read; null once it is live. */
  held: StreamEvent[] | null;
}

export const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // no-transform: the compression middleware (and proxies) would otherwise hold events in their buffer.
  'Cache-Control': 'no-store, no-transform',
  'X-Accel-Buffering': 'no', // nginx: pass events through as they come
  Connection: 'keep-alive',
};

// A client that stopped reading is dropped rather than buffered without end; it reconnects with
// Last-Event-ID and misses nothing.
const MAX_BUFFERED_BYTES = 1024 * 1024;
const ACCESS_CHECKS_AT_ONCE = 50;

/**
 * One per process: polls the record once for all open streams (whatever instance wrote the update)
 * and fans each new event out to the local streams of its thesis. See README.md for why polling by
 * per-thesis sequence misses nothing.
 */
export function createSignalHub(source: SignalHubSource, { heartbeatMs, pollMs, logger, now, openStreams }: SignalHubOptions): SignalHub {
  const byThesis = new Map<string, Set<Stream>>();
  const cursors = new Map<string, number>();
  const startingCursors = new Map<string, Promise<number>>();
  let size = 0;
  let pollTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let polling = false;
  let pollAgain = false;
  let checking = false;
  let checkAgain = false;

  function write(stream: Stream, chunk: string): void {
    if (stream.res.destroyed || stream.res.writableEnded) return;
    stream.res.write(chunk);
    if (stream.res.writableLength > MAX_BUFFERED_BYTES) stream.res.destroy();
  }

  function send(stream: Stream, event: StreamEvent): void {
    if (stream.held) return void stream.held.push(event);
    if (event.sequence <= stream.lastSent) return;
    stream.lastSent = event.sequence;
    write(stream, event.frame);
  }

  function add(stream: Stream): void {
    const streams = byThesis.get(stream.thesisId) ?? new Set();
    byThesis.set(stream.thesisId, streams.add(stream));
    openStreams?.inc();
    if (size++ === 0) {
      pollTimer = setInterval(() => {
        closeExpired();
        void poll();
      }, pollMs).unref();
      heartbeatTimer = setInterval(() => void checkStreams(true), heartbeatMs).unref();
    }
  }

  function remove(stream: Stream): void {
    const streams = byThesis.get(stream.thesisId);
    if (!streams?.delete(stream)) return;
    openStreams?.dec();
    if (streams.size === 0) {
      byThesis.delete(stream.thesisId);
      cursors.delete(stream.thesisId);
    }
    if (--size === 0) {
      clearInterval(pollTimer);
      clearInterval(heartbeatTimer);
    }
  }

  /** The broadcaster's position in a thesis's chain, read from the database the first time it is watched. */
  async function watch(thesisId: string): Promise<number> {
    const known = cursors.get(thesisId);
    if (known !== undefined) return known;
    let starting = startingCursors.get(thesisId);
    if (!starting) {
      starting = source.headSequence(thesisId).finally(() => startingCursors.delete(thesisId));
      startingCursors.set(thesisId, starting);
    }
    const head = await starting;
    // Only while someone still watches; a poll may already have moved it on.
    if (byThesis.has(thesisId) && !cursors.has(thesisId)) cursors.set(thesisId, head);
    return cursors.get(thesisId) ?? head;
  }

  /** Ends the streams whose session token has expired: a comparison each, no query, every tick. */
  function closeExpired(): void {
    const nowSeconds = now().getTime() / 1000;
    for (const streams of byThesis.values()) {
      for (const stream of streams) {
        if (stream.viewer.expiresAt > nowSeconds || stream.res.writableEnded) continue;
        write(stream, 'event: revoked\ndata: {}\n\n');
        stream.res.end();
      }
    }
  }

  async function poll(): Promise<void> {
    if (polling) return void (pollAgain = true);
    polling = true;
    try {
      do {
        pollAgain = false;
        if (cursors.size === 0) break;
        const { events, more } = await source.eventsAfter(new Map(cursors));
        // Cursor moves and delivery happen together, with no await between: a stream that opens
        // meanwhile either receives these events or starts after them.
        for (const [thesisId, list] of events) {
          const cursor = cursors.get(thesisId);
          if (cursor === undefined || list.length === 0) continue;
          cursors.set(thesisId, Math.max(cursor, list[list.length - 1].sequence));
          for (const stream of byThesis.get(thesisId) ?? []) for (const event of list) send(stream, event);
        }
        if (more) pollAgain = true;
      } while (pollAgain);
    } catch (error) {
      logger.error({ err: error }, 'signal poll failed; retrying at the next tick');
    } finally {
      polling = false;
    }
  }

  async function keepOrCutOff(stream: Stream, heartbeat: boolean): Promise<void> {
    if (stream.res.destroyed) return;
    let allowed = false;
    try {
      allowed = await source.mayRead(stream.viewer, stream.thesisId);
    } catch (error) {
      // Unsure means no: the stream closes, and the client's reconnection is checked afresh.
      logger.warn({ err: error }, 'signal stream access check failed; closing the stream');
    }
    if (allowed) return heartbeat ? write(stream, ': heartbeat\n\n') : undefined;
    write(stream, 'event: revoked\ndata: {}\n\n');
    stream.res.end();
  }

  /** One pass over every open stream; a pass asked for meanwhile runs after (without heartbeat). */
  async function checkStreams(heartbeat: boolean): Promise<void> {
    if (checking) return void (checkAgain = true);
    checking = true;
    try {
      do {
        checkAgain = false;
        const streams = [...byThesis.values()].flatMap((set) => [...set]);
        for (let i = 0; i < streams.length; i += ACCESS_CHECKS_AT_ONCE) {
          await Promise.all(streams.slice(i, i + ACCESS_CHECKS_AT_ONCE).map((stream) => keepOrCutOff(stream, heartbeat)));
        }
        heartbeat = false;
      } while (checkAgain);
    } finally {
      checking = false;
    }
  }

  return {
    async open(res, viewer, thesisId, after) {
      res.writeHead(200, STREAM_HEADERS);
      res.write('retry: 3000\n\n');
      const stream: Stream = { thesisId, viewer, res, lastSent: 0, held: [] };
      add(stream);
      res.on('close', () => remove(stream));
      try {
        const cursor = await watch(thesisId);
        // A Last-Event-ID beyond what this process has seen is replayed from its own position; the
        // page ignores sequences it already holds.
        const from = after === null ? cursor : Math.min(after, cursor);
        stream.lastSent = from;
        const missed = after === null ? [] : await source.replayAfter(thesisId, from);
        const held = stream.held ?? [];
        stream.held = null;
        for (const event of [...missed, ...held]) send(stream, event);
      } catch (error) {
        logger.error({ err: error }, 'signal stream failed to start');
        res.end();
      }
    },
    poke() {
      if (size > 0) setImmediate(() => void poll());
    },
    recheck(userIds) {
      if (size === 0) return;
      if (userIds !== undefined) {
        const concerned = new Set(userIds);
        const open = [...byThesis.values()].some((streams) => [...streams].some((stream) => concerned.has(stream.viewer.userId)));
        if (!open) return;
      }
      void checkStreams(false);
    },
    get size() {
      return size;
    },
    close() {
      for (const streams of [...byThesis.values()]) for (const stream of [...streams]) stream.res.end();
      clearInterval(pollTimer);
      clearInterval(heartbeatTimer);
    },
  };
}
