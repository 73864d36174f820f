import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { DbKind } from '../db/adapter.ts';
import type { MailAlertAudience, MailSignIns } from './compose.ts';
import { createOutboxWorker, DEFAULT_CONCURRENCY, type OutboxWorker, type OutboxWorkerDeps } from './outbox-worker.ts';
import { createMailRenderer } from './templates.ts';
import { createMailTransport, type MailTransport } from './transport.ts';
import { createUnsubscribeTokens } from './unsubscribe-token.ts';

export type MailConfig = Pick<
  Config,
  'smtpUrl' | 'mailDir' | 'mailFrom' | 'appUrl' | 'publisherName' | 'mailSubjects' | 'mailMaxAttempts' | 'mailRetryBaseMs' | 'jwtSecret'
>;

export interface MailDelivery {
  worker: OutboxWorker;
  transport: MailTransport;
  /** Stops the worker (after its current round) and closes the SMTP pool. */
  close(): Promise<void>;
}

/**
 * The whole delivery side, built from configuration: SMTP pool (or .eml files), renderer, worker.
 * main.ts, the tests and the benchmark use it; `tuning` overrides batch size, concurrency and the like.
 * `infra.signIns` comes from accounts, `infra.alertAudience` from access (server/deps.ts
 * `mailFeatureServices`): mail may not import them.
 */
export function createMailDelivery(
  config: MailConfig,
  infra: { db: Db; dbKind: DbKind; clock: Clock; logger: Logger; signIns: MailSignIns; alertAudience: MailAlertAudience },
  tuning: Partial<Pick<OutboxWorkerDeps, 'batchSize' | 'concurrency' | 'claimTimeoutMs' | 'random' | 'transport'>> = {},
): MailDelivery {
  const transport = tuning.transport ?? createMailTransport({
    smtpUrl: config.smtpUrl,
    mailDir: config.mailDir,
    maxConnections: tuning.concurrency ?? DEFAULT_CONCURRENCY,
    clock: infra.clock,
  });
  const worker = createOutboxWorker({
    ...infra,
    ...tuning,
    transport,
    renderer: createMailRenderer({ publisher: { name: config.publisherName, appUrl: config.appUrl }, subjects: config.mailSubjects }),
    unsubscribeTokens: createUnsubscribeTokens(config.jwtSecret),
    mailFrom: config.mailFrom,
    appUrl: config.appUrl,
    maxAttempts: config.mailMaxAttempts,
    retryBaseMs: config.mailRetryBaseMs,
  });
  return {
    worker,
    transport,
    async close() {
      await worker.stop();
      transport.close();
    },
  };
}
