import type { Logger } from 'pino';

type Hook = () => void | Promise<void>;

/**
 * What to do when the process is asked to stop, registered by the features that hold long-lived
 * work: e.g. the live signal stream registers "tell every SSE client to reconnect" here, so its
 * open responses end and the server can close. Hooks run once, in registration order, right after
 * the server stops accepting connections.
 */
export interface ShutdownHooks {
  onShutdown(name: string, hook: Hook): void;
  /** True from the moment shutdown starts: /readyz answers 503 so load balancers stop sending traffic. */
  readonly stopping: boolean;
}

export interface ShutdownRunner extends ShutdownHooks {
  run(logger: Logger): Promise<void>;
}

export function createShutdownHooks(): ShutdownRunner {
  const hooks: { name: string; hook: Hook }[] = [];
  let stopping = false;
  return {
    onShutdown(name, hook) {
      hooks.push({ name, hook });
    },
    get stopping() {
      return stopping;
    },
    async run(logger) {
      stopping = true;
      for (const { name, hook } of hooks) {
        try {
          await hook();
        } catch (error) {
          logger.error({ err: error, hook: name }, 'shutdown hook failed');
        }
      }
    },
  };
}
