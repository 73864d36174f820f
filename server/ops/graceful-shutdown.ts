import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { ShutdownRunner } from './shutdown.ts';

export interface Closable {
  name: string;
  close(): Promise<void> | void;
}

export interface DrainOptions {
  server: Server;
  logger: Logger;
  hooks: ShutdownRunner;
  /** Stopped while the HTTP requests drain (e.g. the outbox worker: it finishes its message, releases the rest). */
  background: Closable[];
  /** Closed in order once nothing uses them any more (mail transport, database). */
  resources: Closable[];
  /** Requests still running this long after the signal are cut off (orchestrators kill at 10 s). */
  requestGraceMs?: number;
  exit?: (code: number) => void;
}

const closeEach = async (items: Closable[], logger: Logger) => {
  for (const item of items) {
    try {
      await item.close();
    } catch (error) {
      logger.error({ err: error, resource: item.name }, 'could not close cleanly');
    }
  }
};

/**
 * SIGTERM: stop accepting connections, run the shutdown hooks (SSE clients told to reconnect),
 * let in-flight requests finish while closing idle keep-alive sockets, stop background work, close
 * the database, exit. Everything is bounded so the process is gone within 10 s.
 */
export function drainOnSignal(options: DrainOptions): (signal: string) => Promise<void> {
  const { server, logger, hooks } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const requestGraceMs = options.requestGraceMs ?? 8000;
  let draining: Promise<void> | undefined;

  async function drain(signal: string): Promise<void> {
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    const hardStop = setTimeout(() => {
      logger.error('shutdown took too long; exiting now');
      exit(1);
    }, requestGraceMs + 1500);
    hardStop.unref();

    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Responses still to come end their keep-alive connection instead of holding the process open.
    server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
    const stoppingBackground = closeEach(options.background, logger);
    await hooks.run(logger);
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    const graceOver = setTimeout(() => {
      logger.warn('requests still running at the end of the grace period; closing their connections');
      server.closeAllConnections();
    }, requestGraceMs);
    server.closeIdleConnections();
    await closed;
    clearInterval(idleSweep);
    clearTimeout(graceOver);
    await stoppingBackground;
    await closeEach(options.resources, logger);
    logger.info('shut down cleanly');
    clearTimeout(hardStop);
    exit(0);
  }

  // A second signal while draining changes nothing: the bounded drain is already under way.
  return (signal) => (draining ??= drain(signal));
}
