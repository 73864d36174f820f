// `npm run bench [-- --quick] [-- --only pages|writes|streams]`: starts Warren in production mode
// against local fakes, loads it, prints one table and writes bench/RESULTS.md (not after `--only`:
// the results file holds whole runs only). SQLite by default; PostgreSQL when
// BENCH_DATABASE_URL is set (in a schema of its own, dropped afterwards). Loopback only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openBenchDatabase } from './bench-database.ts';
import { FakeStripe } from '../test/support/fake-stripe.ts';
import { BENCH_JWT_SECRET, BENCH_WEBHOOK_SECRET, DEMO_SLUG, FULL, QUICK, type BenchContext } from './context.ts';
import { SmtpSink } from './smtp-sink.ts';
import { startSite } from './site.ts';
import { buildServer, startArguments } from '../scripts/build.ts';
import { pageScenarios } from './scenario-pages.ts';
import { webhookScenario } from './scenario-writes.ts';
import { outboxScenario } from './scenario-outbox.ts';
import { ADMIN_EMAIL, streamScenario } from './scenario-streams.ts';
import { table, writeResults, type Row } from './report.ts';

const quick = process.argv.includes('--quick');
const SCENARIOS = ['pages', 'writes', 'streams'] as const;
type Scenario = (typeof SCENARIOS)[number];
const only = onlyArgument();
const runs = (scenario: Scenario) => only === undefined || only === scenario;
const sizes = quick ? QUICK : FULL;
const log = (line: string) => console.log(`[bench] ${line}`);

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'warren-bench-'));
  const pgUrl = process.env.BENCH_DATABASE_URL;
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = pgUrl ? withSchema(pgUrl, schema) : `file:${path.join(workDir, 'warren.db')}`;
  const [stripe, sink] = await Promise.all([new FakeStripe().start(), new SmtpSink().start()]);
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: BENCH_JWT_SECRET,
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_WEBHOOK_SECRET: BENCH_WEBHOOK_SECRET,
    STRIPE_API_BASE: stripe.url,
    SMTP_URL: sink.url,
    MAIL_FROM: 'Warren Bench <bench@warren.test>',
    ADMIN_EMAILS: ADMIN_EMAIL,
    DEMO_CONTENT: 'true',
    LOG_LEVEL: 'warn',
    // The stream scenario holds thousands of streams of one member from one address.
    SIGNAL_STREAMS_PER_MEMBER: '100000',
    SIGNAL_STREAMS_PER_IP: '100000',
  };
  const rows: Row[] = [];
  const notes: string[] = [];
  let database: Awaited<ReturnType<typeof openBenchDatabase>> | undefined;
  try {
    // First start: migrates the empty database and inserts the demo thesis. Not measured.
    await buildServer();
    log(`database: ${pgUrl ? `PostgreSQL, schema ${schema}` : 'SQLite'}; ${quick ? 'quick' : 'full'} run`);
    await (await startSite(env)).stop();
    // Start-up on a migrated database, as after a deploy or a crash.
    const site = await startSite(env);
    log(`start-up: first 200 after ${site.startupMs.toFixed(0)} ms`);
    database = await openBenchDatabase(databaseUrl);
    const thesis = await database.prisma.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG }, select: { id: true, priceAmount: true, currency: true } });
    // The write baselines' tables: a file of their own next to Warren's, or the same throw-away schema.
    const baselineDatabaseUrl = pgUrl ? databaseUrl : `file:${path.join(workDir, 'baseline.db')}`;
    const context: BenchContext = { site, db: database.prisma, kind: database.kind, baselineDatabaseUrl, sink, sizes, thesis, peakRssMb: 0, log };
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const idleRss = site.rssMb();
      log(`idle RSS ${idleRss.toFixed(0)} MB`);

      if (runs('pages')) rows.push(...(await pageScenarios(context, workDir)));
      const pageRss = context.peakRssMb;
      if (runs('writes')) {
        rows.push(await webhookScenario(context));
        rows.push(await outboxScenario(context));
      }
      const streams = runs('streams') ? await streamScenario(context) : undefined;
      if (streams) rows.push(...streams.rows);

      // Memory and start-up are whole-run rows: the page peak needs the page loads.
      if (streams && only === undefined) {
        rows.push({
          scenario: 'memory (RSS)',
          measured: `idle ${idleRss.toFixed(0)} MB; page load peak ${pageRss.toFixed(0)} MB; ${streams.rssMb === null ? 'streams n/a' : `${sizes.streams} streams ${streams.rssMb.toFixed(0)} MB`}`,
          baseline: '—',
          ratio: '—',
          target: `idle ≤ 150; page load ≤ 300; ${FULL.streams} streams ≤ 400 MB`,
          pass: idleRss <= 150 && pageRss <= 300 && (streams.rssMb === null || streams.rssMb <= 400),
        });
        rows.push({
          scenario: 'start-up on a migrated database',
          measured: `first 200 after ${site.startupMs.toFixed(0)} ms`,
          baseline: '—',
          ratio: '—',
          target: '< 2,000 ms',
          pass: site.startupMs < 2000,
        });
      }
      if (quick) notes.push(`Quick run: ${sizes.duration} s loads, ${sizes.outboxMessages} e-mails, ${sizes.streams} streams.`);
      notes.push(`Start-up is measured from spawning \`node ${startArguments().join(' ')}\` (what \`npm start\` runs, after \`npm run build\`) to the first 200 on \`/\`.`);
      notes.push('Memory "page load peak" is the highest RSS sampled every 100 ms during the three page loads.');
    } finally {
      await site.stop();
    }
  } finally {
    if (database && pgUrl) await database.prisma.$executeRawUnsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await database?.close();
    await Promise.all([stripe.close(), sink.close()]);
    rmSync(workDir, { recursive: true, force: true });
  }
  console.log(`\n${table(rows)}\n`);
  if (rows.some((row) => row.pass === false)) process.exitCode = 1;
  if (only !== undefined) {
    log(`--only ${only}: bench/RESULTS.md left as it was (it holds whole runs only)`);
    return;
  }
  const file = writeResults(rows, { database: pgUrl ? 'PostgreSQL (BENCH_DATABASE_URL)' : 'SQLite (file in a temp folder)', quick, notes });
  log(`written to ${path.relative(process.cwd(), file)}`);
}

function onlyArgument(): Scenario | undefined {
  const index = process.argv.indexOf('--only');
  if (index === -1) return undefined;
  const value = process.argv[index + 1];
  if (!SCENARIOS.includes(value as Scenario)) throw new Error(`--only takes one of ${SCENARIOS.join(', ')} (got ${value ?? 'nothing'})`);
  return value as Scenario;
}

function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}

await main();
