import type { Clock } from '../clock.ts';

/** Answers kept in memory by key; whoever changes what they depend on must forget or clear them. */
export interface LookupCache<V> {
  /** The remembered answer for `key`, or `load()`'s, which is then remembered. */
  get(key: string, load: () => Promise<V>): Promise<V>;
  forget(key: string): void;
  clear(): void;
}

/**
 * The promise is stored before the lookup runs, so a forget() or clear() that follows a commit also
 * drops a lookup that read the database before it; a failed lookup is not remembered. `maxAgeMs`
 * only bounds the damage of a forgotten invalidation; `maxEntries` bounds memory (oldest out first).
 */
export function createLookupCache<V>(options: { clock: Clock; maxAgeMs: number; maxEntries: number }): LookupCache<V> {
  const { clock, maxAgeMs, maxEntries } = options;
  const entries = new Map<string, { value: Promise<V>; at: number }>();
  return {
    get(key, load) {
      const now = clock.now().getTime();
      const hit = entries.get(key);
      if (hit && now - hit.at < maxAgeMs) return hit.value;
      entries.delete(key);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      const entry = { value: Promise.resolve().then(load), at: now };
      entries.set(key, entry);
      entry.value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return entry.value;
    },
    forget(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
  };
}
