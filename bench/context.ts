import { randomBytes } from 'node:crypto';
// What every scenario gets: the running site, its database (opened by the runner too, to set up
// and to verify), the secrets the site was started with, and the run's sizes.
import type { Db } from '../server/db/database.ts';
import type { RunningSite } from './site.ts';
import type { SmtpSink } from './smtp-sink.ts';

/** Random per run: the site runs as in production, which refuses a written-out phrase. */
export const BENCH_JWT_SECRET = randomBytes(32).toString('hex');
export const BENCH_WEBHOOK_SECRET = 'whsec_bench_secret';
export const DEMO_SLUG = 'decode-singularity';

export interface Sizes {
  /** Seconds per page load run. */
  duration: number;
  outboxMessages: number;
  streams: number;
}

export const FULL: Sizes = { duration: 10, outboxMessages: 2000, streams: 5000 };
export const QUICK: Sizes = { duration: 3, outboxMessages: 500, streams: 500 };

export interface BenchContext {
  site: RunningSite;
  db: Db;
  kind: 'sqlite' | 'postgres';
  /** Where the write baselines keep their rows: the same kind of database as Warren's, not Warren's tables. */
  baselineDatabaseUrl: string;
  sink: SmtpSink;
  sizes: Sizes;
  thesis: { id: string; priceAmount: number; currency: string };
  /** Max RSS seen while a load ran (sampled). */
  peakRssMb: number;
  log(line: string): void;
}

/** Samples the server's RSS every 100 ms while `work` runs; keeps the peak in the context. */
export async function sampleRss<T>(context: BenchContext, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    try {
      context.peakRssMb = Math.max(context.peakRssMb, context.site.rssMb());
    } catch {
      // the process may be gone at the very end
    }
  }, 100);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
