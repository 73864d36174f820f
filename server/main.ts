import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadConfig, ConfigError } from './config.ts';
import { buildDeps } from './deps.ts';
import { createSiteServer } from './app.ts';
import { seedDemoWithSignalUpdates } from './signals/demo-updates.ts';
import { drainOnSignal } from './ops/graceful-shutdown.ts';
import { tryItBlock } from './dev/try-it.ts';

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
  const built = await buildDeps(config);
  const { deps } = built;
  const { logger, clock } = deps;

  if (config.demoContent && (await seedDemoWithSignalUpdates(deps.db, clock, config.publisherName))) {
    logger.info('demo thesis inserted into the empty database');
  }
  if (config.testPayments) logger.warn('STRIPE_SECRET_KEY is not set: payments run in test mode against a local API, no money moves');
  else if (!config.stripe) logger.warn('STRIPE_SECRET_KEY is not set: the site runs, but nothing can be bought');
  if (!config.smtpUrl) logger.info(`SMTP_URL is not set: mail is written to ${config.mailDir}/ and shown at ${config.appUrl}/dev/mail`);

  const background = built.startBackground();
  const server = createSiteServer(deps).listen(config.port, () => {
    const { port } = server.address() as AddressInfo;
    logger.info({ port }, `Warren is listening on ${config.appUrl}`);
    const tryIt = tryItBlock(config);
    if (tryIt) console.log(tryIt);
  });

  const drain = drainOnSignal({ server, logger, hooks: built.shutdown, background, resources: built.resources });
  process.on('SIGTERM', () => void drain('SIGTERM'));
  process.on('SIGINT', () => void drain('SIGINT'));
}

await main();
