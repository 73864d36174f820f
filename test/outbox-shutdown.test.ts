import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createMailDelivery } from '../server/mail/mail-delivery.ts';
import { mailFeatureServices } from '../server/deps.ts';
import { enqueueMail } from '../server/mail/outbox.ts';
import type { MailMessage, MailTransport } from '../server/mail/transport.ts';
import { startWarren, type Warren } from './support/harness.ts';

describe('Stopping the outbox worker', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  it('When the worker stops mid-round, then the message being sent finishes and the rest of its claim is handed back', async () => {
    for (const i of [1, 2, 3]) {
      await enqueueMail(warren.db, {
        dedupeKey: `stop:${i}`,
        template: 'receipt',
        recipient: `stop.${i}@example.com`,
        data: { thesisTitle: 'T', price: '$75.00 CAD', purchasedOn: '2026-11-26', reference: `r${i}` },
      }, warren.clock.now());
    }
    // An SMTP server that holds the first message until the test lets it go.
    const sent: MailMessage[] = [];
    let release!: () => void;
    let sending!: () => void;
    const firstSendStarted = new Promise<void>((resolve) => (sending = resolve));
    const transport: MailTransport = {
      kind: 'smtp',
      send: async (message) => {
        sending();
        await new Promise<void>((resolve) => (release = resolve));
        sent.push(message);
      },
      close: () => undefined,
    };
    const { worker } = createMailDelivery(
      warren.config,
      { db: warren.db, dbKind: warren.database.kind, clock: warren.clock, logger: pino({ level: 'silent' }), ...mailFeatureServices(warren.db, warren.config) },
      { transport, concurrency: 1 },
    );
    worker.start(60_000);
    expect(worker.isRunning()).toBe(true);
    worker.kick();
    await firstSendStarted;
    expect(await warren.db.outboxMessage.count({ where: { status: 'sending' } })).toBe(3);

    const stopped = worker.stop();
    expect(worker.isRunning()).toBe(false);
    release();
    await stopped;

    expect(sent).toHaveLength(1);
    const rows = await warren.db.outboxMessage.findMany({ select: { recipient: true, status: true, claimedAt: true } });
    const sentRow = rows.find((row) => row.recipient === sent[0].to)!;
    expect(sentRow.status).toBe('sent');
    const others = rows.filter((row) => row !== sentRow);
    expect(others).toEqual([
      expect.objectContaining({ status: 'pending', claimedAt: null }),
      expect.objectContaining({ status: 'pending', claimedAt: null }),
    ]);
  });
});
