import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { createChangeVersions, type ChangeTopic } from './change-versions.ts';

export type { ChangeTopic };

/** `ids` names what changed (people, sessions); absent, anything of the topic may have changed. */
export type ChangeListener = (ids?: readonly string[]) => void;

/**
 * How a write reaches every cache that holds what it changed, on this instance and the others.
 * A feature's caches listen to their topics; a feature's write functions announce after they commit.
 */
export interface ChangeBus {
  on(topic: ChangeTopic, listener: ChangeListener): void;
  /**
   * Runs this instance's listeners at once (the writer's next request already sees the change),
   * then tells the other instances, which drop the whole topic on their next poll. Telling them is
   * best effort for the caller, whose change has committed: a failed bump is logged, TTLs bound
   * the staleness elsewhere.
   */
  announce(topic: ChangeTopic, ids?: readonly string[]): Promise<void>;
  /** Reads the other instances' changes now (the poll does it every pollMs once started). */
  poll(): Promise<void>;
  start(): void;
  stop(): void;
}

export const DEFAULT_CHANGE_POLL_MS = 1000;

export function createChangeBus(options: { db: Db; logger: Logger; pollMs?: number }): ChangeBus {
  const listeners = new Map<ChangeTopic, ChangeListener[]>();
  const notify = (topic: ChangeTopic, ids?: readonly string[]) => {
    for (const listener of listeners.get(topic) ?? []) listener(ids);
  };
  const versions = createChangeVersions({
    db: options.db,
    logger: options.logger,
    pollMs: options.pollMs ?? DEFAULT_CHANGE_POLL_MS,
    onRemoteChange: (topic) => notify(topic),
  });
  return {
    on(topic, listener) {
      listeners.set(topic, [...(listeners.get(topic) ?? []), listener]);
    },
    async announce(topic, ids) {
      notify(topic, ids);
      await versions.bump(topic).catch((error) => options.logger.warn({ err: error, topic }, 'could not publish a cache invalidation'));
    },
    poll: () => versions.poll(),
    start: () => versions.start(),
    stop: () => versions.stop(),
  };
}
