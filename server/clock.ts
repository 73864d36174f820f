/** Injected wherever time matters, so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * lru-cache options that measure its TTLs on this clock, so a test that moves the clock expires
 * entries. ttlResolution 0: lru-cache would otherwise reuse one reading for a millisecond of real time.
 */
export function lruTimingOf(clock: Clock) {
  return { perf: { now: () => clock.now().getTime() }, ttlResolution: 0 };
}
