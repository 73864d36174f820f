import { existsSync } from 'node:fs';
import pino from 'pino';
import { loadConfig, ConfigError } from './config.ts';
import { systemClock } from './clock.ts';
import { openDatabase } from './db/database.ts';
import { createApp } from './app.ts';
import { createStripeGateway } from './checkout/stripe-gateway.ts';
import { seedDemoContentIfEmpty } from './catalog/demo-seed.ts';
import { createMailTransport } from './mail/transport.ts';
import { createMailRenderer } from './mail/templates.ts';
import { createOutboxWorker } from './mail/outbox-worker.ts';
import { createAppCaches } from './cache/app-caches.ts';
import { createFrontServer } from './http/front-server.ts';

async function main(): Promise<void> {
  // A local .env is a convenience for development; real deployments set the environment.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  const logger = pino({ level: config.logLevel });
  const clock = systemClock;

  const database = await openDatabase(config.databaseUrl, { countQueries: config.env === 'development' });
  if (config.demoContent && (await seedDemoContentIfEmpty(database.prisma, clock.now()))) {
    logger.info('demo thesis inserted into the empty database');
  }

  const transport = createMailTransport({ smtpUrl: config.smtpUrl, mailDir: config.mailDir });
  const outbox = createOutboxWorker({
    db: database.prisma,
    transport,
    renderer: createMailRenderer({ name: config.publisherName, appUrl: config.appUrl }),
    clock,
    logger,
    mailFrom: config.mailFrom,
    appUrl: config.appUrl,
  });
  outbox.start();
  if (!config.stripe) logger.warn('STRIPE_SECRET_KEY is not set: the site runs, but nothing can be bought');
  if (!config.smtpUrl) logger.info(`SMTP_URL is not set: mail is written to ${config.mailDir}/`);

  const caches = createAppCaches({ db: database.prisma, clock, logger });
  caches.start();
  const app = createApp({
    config,
    db: database.prisma,
    clock,
    logger,
    stripe: config.stripe ? createStripeGateway(config.stripe) : null,
    mailQueued: () => outbox.kick(),
    caches,
  });
  const server = createFrontServer(app, caches.publicPages).listen(config.port, () => logger.info(`Warren is listening on ${config.appUrl}`));

  const shutdown = async () => {
    logger.info('shutting down');
    server.close();
    await outbox.stop();
    caches.stop();
    transport.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

await main();
