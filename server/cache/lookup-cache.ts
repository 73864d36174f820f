import { LRUCache } from 'lru-cache';
import { lruTimingOf, type Clock } from '../clock.ts';

/** Answers kept in memory by key; whoever changes what they depend on must forget or clear them. */
export interface LookupCache<V> {
  /** The remembered answer for `key`, or `load()`'s, which is then remembered. */
  get(key: string, load: () => Promise<V>): Promise<V>;
  forget(key: string): void;
  clear(): void;
}

/**
 * Concurrent misses of one key share one load (lru-cache's fetch). A forget() or clear() that
 * follows a commit also drops a load in flight that read the database before it: its callers still
 * get its answer, but it is not stored (ignoreFetchAbort keeps the load running without storing it).
 * A failed load is not remembered. `maxAgeMs` only bounds the damage of a forgotten invalidation;
 * `maxEntries` bounds memory (least recently used out first).
 */
export function createLookupCache<V>(options: { clock: Clock; maxAgeMs: number; maxEntries: number }): LookupCache<V> {
  // Boxed: lru-cache stores no null, and null is an answer here ("no such session").
  const entries = new LRUCache<string, { value: V }, () => Promise<V>>({
    max: options.maxEntries,
    ttl: options.maxAgeMs,
    ...lruTimingOf(options.clock),
    ignoreFetchAbort: true,
    fetchMethod: async (_key, _stale, { context: load }) => ({ value: await load() }),
  });
  return {
    async get(key, load) {
      const box = await entries.fetch(key, { context: load });
      return box!.value;
    },
    forget(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
  };
}
