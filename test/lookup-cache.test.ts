import { describe, expect, it } from 'vitest';
import { createLookupCache } from '../server/cache/lookup-cache.ts';
import { TestClock } from './support/harness.ts';

/** A load the test finishes by hand, counting how often the cache asked for it. */
function countingLoads() {
  const calls: string[] = [];
  return {
    calls,
    load: (key: string, answer = `${key}:${calls.length}`) => () => {
      calls.push(key);
      return Promise.resolve(answer);
    },
  };
}

describe('The lookup cache (lru-cache behind the session and content lookups)', () => {
  it('When it is full, then the least recently read entry goes, not the oldest inserted', async () => {
    const cache = createLookupCache<string>({ clock: new TestClock(), maxAgeMs: 60_000, maxEntries: 2 });
    const { calls, load } = countingLoads();
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    await cache.get('a', load('a')); // a is now the most recently used
    await cache.get('c', load('c')); // full: b goes
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('When the injected clock passes the maximum age, then the entry is loaded again', async () => {
    const clock = new TestClock();
    const cache = createLookupCache<string>({ clock, maxAgeMs: 60_000, maxEntries: 10 });
    const { calls, load } = countingLoads();
    expect(await cache.get('a', load('a'))).toBe('a:0');
    clock.advance(60_000);
    expect(await cache.get('a', load('a'))).toBe('a:0');
    clock.advance(1);
    expect(await cache.get('a', load('a'))).toBe('a:1');
    expect(calls).toEqual(['a', 'a']);
  });

  it('When the same key is asked for twice while loading, then one load answers both', async () => {
    const cache = createLookupCache<number | null>({ clock: new TestClock(), maxAgeMs: 60_000, maxEntries: 10 });
    let loads = 0;
    const load = async () => {
      loads++;
      return null; // null is an answer too ("no such session"), and is remembered
    };
    expect(await Promise.all([cache.get('a', load), cache.get('a', load)])).toEqual([null, null]);
    expect(await cache.get('a', load)).toBeNull();
    expect(loads).toBe(1);
  });

  it('When a key is forgotten while its load runs, then that load answers its callers but is not remembered', async () => {
    const cache = createLookupCache<string>({ clock: new TestClock(), maxAgeMs: 60_000, maxEntries: 10 });
    let finish!: (value: string) => void;
    const answer = new Promise<string>((resolve) => (finish = resolve));
    const pending = cache.get('a', () => answer);
    cache.forget('a'); // a write committed after the load read the database
    finish('before the write');
    expect(await pending).toBe('before the write');
    expect(await cache.get('a', async () => 'after the write')).toBe('after the write');
  });

  it('When everything is cleared while a load runs, then that load is not remembered either', async () => {
    const cache = createLookupCache<string>({ clock: new TestClock(), maxAgeMs: 60_000, maxEntries: 10 });
    let finish!: (value: string) => void;
    const answer = new Promise<string>((resolve) => (finish = resolve));
    const pending = cache.get('a', () => answer);
    cache.clear();
    finish('before the write');
    expect(await pending).toBe('before the write');
    expect(await cache.get('a', async () => 'after the write')).toBe('after the write');
  });

  it('When a load fails, then its callers see the error and the next read loads again', async () => {
    const cache = createLookupCache<string>({ clock: new TestClock(), maxAgeMs: 60_000, maxEntries: 10 });
    await expect(cache.get('a', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await cache.get('a', async () => 'back')).toBe('back');
  });
});
