import type { Metrics } from './metrics.ts';
import type { ReadinessReport } from './readiness.ts';
import type { ShutdownHooks } from './shutdown.ts';

/** What the operations edge needs, and what features may record into or register with. */
export interface OpsDeps {
  /** Prometheus metrics; e.g. the signal stream does `ops.metrics.sseStreams.inc()` / `.dec()`. */
  metrics: Metrics;
  /** e.g. `ops.shutdown.onShutdown('sse', () => tell every stream to reconnect and end it)`. */
  shutdown: ShutdownHooks;
  readiness(): Promise<ReadinessReport>;
}
