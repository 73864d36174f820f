import { createHash, randomBytes } from 'node:crypto';

/**
 * Who was seen today, without knowing who anyone is: a visitor is SHA-256(salt, page, address, user
 * agent) with a random salt made for the day and kept in this process's memory only. When the day
 * changes the salt and the set are thrown away, so yesterday's hashes can neither be matched against
 * today's nor recomputed from a guessed address afterwards (Plausible's approach).
 *
 * Memory is bounded: at most `maxPerDay` hashes a day (under 100 bytes each). Past it, a visitor not
 * yet seen today is not counted as a unique visitor (their views still are): under a flood the
 * unique count stays low rather than the memory growing. `onFull` is told once a day.
 */
export class DailyVisitors {
  private day = '';
  private salt: Buffer = Buffer.alloc(0);
  private readonly seen = new Set<string>();
  private toldFull = false;

  constructor(
    private readonly maxPerDay: number,
    private readonly onFull: (day: string, max: number) => void = () => undefined,
    private readonly makeSalt: () => Buffer = () => randomBytes(32),
  ) {}

  /** True the first time this visitor is seen on this page today (UTC `day`, YYYY-MM-DD). */
  firstVisitToday(day: string, address: string, userAgent: string, page: string): boolean {
    if (day !== this.day) this.startDay(day);
    if (this.seen.size >= this.maxPerDay) {
      if (!this.toldFull) this.onFull(day, this.maxPerDay);
      this.toldFull = true;
      return false;
    }
    // A header cannot hold a newline, so the parts cannot run into each other. The digest as a
    // 32-character one-byte string ('binary' is latin1): the cheapest form to make and to keep in the set.
    const visitor = createHash('sha256').update(this.salt).update(`${page}\n${address}\n${userAgent}`).digest('binary');
    if (this.seen.has(visitor)) return false;
    this.seen.add(visitor);
    return true;
  }

  /**
   * The visitor under today's salt, whatever page they are on (first-touch.ts keys their source by it):
   * the same person gives the same key all day on this instance, and nothing tomorrow can match it.
   */
  visitorKey(day: string, address: string, userAgent: string): string {
    if (day !== this.day) this.startDay(day);
    return createHash('sha256').update(this.salt).update(`visitor\n${address}\n${userAgent}`).digest('binary');
  }

  /** Hashes held for the current day. */
  get size(): number {
    return this.seen.size;
  }

  private startDay(day: string): void {
    this.day = day;
    this.salt = this.makeSalt();
    this.seen.clear();
    this.toldFull = false;
  }
}
