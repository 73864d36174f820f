import type { Logger } from 'pino';

/**
 * Runs `work` every `intervalMs`, one run at a time (a slow run delays the next instead of overlapping
 * it); a failed run is logged and the next one tries again. `stop` waits for the run in progress.
 */
export function startPeriodicJob(name: string, intervalMs: number, work: () => Promise<unknown>, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(work).catch((error) => logger.error({ err: error }, `${name} failed`));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
