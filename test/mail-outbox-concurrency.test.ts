import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { openDatabase, type Database } from '../server/db/database.ts';
import { createMailDelivery } from '../server/mail/mail-delivery.ts';
import { mailFeatureServices } from '../server/deps.ts';
import { createMailTransport, type MailTransport } from '../server/mail/transport.ts';
import { startWarren, type Warren } from './support/harness.ts';
import { queueAdminSale } from './support/mail-fixtures.ts';

const MESSAGES = 500;

/** Counts what one worker handed to the SMTP server, then passes it on unchanged. */
function counting(transport: MailTransport) {
  const counted = { sent: 0 };
  const wrapped: MailTransport = {
    kind: transport.kind,
    send: async (message) => {
      await transport.send(message);
      counted.sent++;
    },
    close: () => transport.close(),
  };
  return { transport: wrapped, counted };
}

describe('Two workers sharing one outbox', () => {
  let warren: Warren;
  let second: Database | null = null;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(async () => {
    await second?.close();
    await warren.close();
  });

  it(`When two workers drain ${MESSAGES} messages at once, then each message reaches the SMTP server exactly once`, { timeout: 180_000 }, async () => {
    // Queued in one transaction, as a publisher's announcement to every member would be.
    await warren.db.$transaction(async (tx) => {
      for (let i = 0; i < MESSAGES; i++) await queueAdminSale(warren, `bulk:${i}`, `reader${i % 25}@example.com`, tx);
    }, { timeout: 120_000 });
    // On PostgreSQL the second worker is a second instance: its own connection pool (FOR UPDATE SKIP
    // LOCKED decides). SQLite is one machine's file, so both workers share the one connection there.
    if (warren.database.kind === 'postgres') second = await openDatabase(warren.database.url, { schema: warren.database.schema });
    const logger = pino({ level: 'silent' });
    const secondDb = second?.prisma ?? warren.db;
    const smtp = () => createMailTransport({ smtpUrl: warren.config.smtpUrl, mailDir: warren.config.mailDir, clock: warren.clock });
    const a = counting(smtp());
    const b = counting(smtp());
    const tuning = { batchSize: 20 };
    const workerA = createMailDelivery(warren.config, { db: warren.db, dbKind: warren.database.kind, clock: warren.clock, logger, ...mailFeatureServices(warren.db, warren.config) }, { ...tuning, transport: a.transport });
    const workerB = createMailDelivery(warren.config, { db: secondDb, dbKind: warren.database.kind, clock: warren.clock, logger, ...mailFeatureServices(secondDb, warren.config) }, { ...tuning, transport: b.transport });

    await Promise.all([workerA.worker.drain(), workerB.worker.drain()]);
    await Promise.all([workerA.close(), workerB.close()]);

    const ids = warren.inbox.messages.map((mail) => mail.messageId);
    expect(ids).toHaveLength(MESSAGES);
    expect(new Set(ids).size).toBe(MESSAGES);
    expect(await warren.db.outboxMessage.count({ where: { status: 'sent', attempts: 1 } })).toBe(MESSAGES);
    expect(a.counted.sent + b.counted.sent).toBe(MESSAGES);
    expect(a.counted.sent).toBeGreaterThan(0);
    expect(b.counted.sent).toBeGreaterThan(0);
  });
});
