/**
 * Caps the signal streams one member, and one client address, hold open on this instance: each
 * costs a socket and a share of every heartbeat's checks, and one cookie once opened 1,000.
 */
export interface StreamLimits {
  /** Counts a new stream; its release function, or null when the member or the address is at the cap. */
  acquire(userId: string, ip: string): (() => void) | null;
}

export function createStreamLimits({ perMember, perIp }: { perMember: number; perIp: number }): StreamLimits {
  const byMember = new Map<string, number>();
  const byIp = new Map<string, number>();
  const add = (counts: Map<string, number>, key: string, delta: number) => {
    const next = (counts.get(key) ?? 0) + delta;
    if (next === 0) counts.delete(key);
    else counts.set(key, next);
  };
  return {
    acquire(userId, ip) {
      if ((byMember.get(userId) ?? 0) >= perMember || (byIp.get(ip) ?? 0) >= perIp) return null;
      add(byMember, userId, 1);
      add(byIp, ip, 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        add(byMember, userId, -1);
        add(byIp, ip, -1);
      };
    },
  };
}
