import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createMailDelivery } from '../server/mail/mail-delivery.ts';
import { mailFeatureServices } from '../server/deps.ts';
import { afterFailure, retryDelayMs, MAX_RETRY_DELAY_MS } from '../server/mail/retry-policy.ts';
import { DEFAULT_CLAIM_TIMEOUT_MS } from '../server/mail/outbox-worker.ts';
import { createMailTransport, type MailTransport } from '../server/mail/transport.ts';
import { expectStatus, signInByEmail, startWarren, submitForm, type Warren } from './support/harness.ts';
import { queueAdminSale } from './support/mail-fixtures.ts';

const ADMIN = 'publisher@example.com';
const HOUR = 60 * 60 * 1000;

describe('Delivering the outbox through a misbehaving SMTP server', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN, MAIL_RETRY_BASE_SECONDS: '30' });
    await warren.db.user.create({ data: { email: ADMIN, createdAt: warren.clock.now() } });
  });
  afterAll(() => warren.close());

  const row = (dedupeKey: string) => warren.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey } });
  const received = async (dedupeKey: string) => {
    const { id } = await row(dedupeKey);
    return warren.inbox.messages.filter((mail) => mail.messageId === `<${id}@warren.test>`).length;
  };

  it('When the SMTP server is down and then comes back, then the message is retried later and delivered once', async () => {
    await warren.inbox.down();
    await queueAdminSale(warren, 'down-then-up');
    await warren.deliverMail();
    const afterOutage = await row('down-then-up');
    expect(afterOutage).toMatchObject({ status: 'pending', attempts: 1 });
    expect(afterOutage.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(afterOutage.nextAttemptAt.getTime()).toBeGreaterThan(warren.clock.now().getTime());

    await warren.inbox.up();
    await warren.deliverMail();
    expect(await received('down-then-up')).toBe(0); // not due yet: backing off
    warren.clock.advance(HOUR);
    await warren.deliverMail();
    expect(await received('down-then-up')).toBe(1);
    expect(await row('down-then-up')).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('When the server answers 4xx and then 250, then the message is retried and delivered once', async () => {
    warren.inbox.rejectNext(1, 451);
    await queueAdminSale(warren, 'greylisted');
    await warren.deliverMail();
    expect(await row('greylisted')).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await row('greylisted')).lastError).toContain('451');
    expect(await received('greylisted')).toBe(0);
    warren.clock.advance(HOUR);
    await warren.deliverMail();
    expect(await received('greylisted')).toBe(1);
    expect(await row('greylisted')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('When the server answers 5xx, then the message fails at once, the admin sees it with the error, and their retry delivers it', async () => {
    warren.inbox.rejectNext(1, 550, 'No such mailbox here');
    await queueAdminSale(warren, 'bounced', 'typo@example.com');
    await warren.deliverMail();
    const failed = await row('bounced');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.lastError).toContain('550');
    warren.clock.advance(HOUR);
    await warren.deliverMail();
    expect(await row('bounced')).toMatchObject({ status: 'failed', attempts: 1 }); // not retried by itself

    const { agent } = await signInByEmail(warren, ADMIN);
    const page = expectStatus(await agent.get('/admin/mail'), 200);
    expect(page.text).toContain('typo@example.com');
    expect(page.text).toContain('No such mailbox here');
    expect(page.text).toMatch(/1 failed/);
    expect((await agent.get('/admin')).text).toContain('href="/admin/mail"');

    const retry = await submitForm(agent, '/admin/mail', `/admin/mail/${failed.id}/retry`);
    expect(retry.status).toBe(303);
    expect(retry.headers.location).toBe('/admin/mail');
    await warren.deliverMail();
    expect(await received('bounced')).toBe(1);
    expect(await row('bounced')).toMatchObject({ status: 'sent' });
    expect((await agent.get('/admin/mail')).text).toContain('No failed e-mail.');
    expectStatus(await submitForm(agent, '/admin/mail', `/admin/mail/${failed.id}/retry`), 404);
  });

  it('When the process dies between claiming a message and the server accepting it, then after a restart it is delivered once', async () => {
    await queueAdminSale(warren, 'crash');
    let sendStarted!: () => void;
    const reachedSend = new Promise<void>((resolve) => (sendStarted = resolve));
    // The dying process: it claims, starts to send, and never finishes (killed mid-conversation).
    const dying: MailTransport = { kind: 'smtp', send: () => (sendStarted(), new Promise<void>(() => undefined)), close: () => undefined };
    const infra = { db: warren.db, dbKind: warren.database.kind, clock: warren.clock, logger: pino({ level: 'silent' }), ...mailFeatureServices(warren.db, warren.config) };
    createMailDelivery(warren.config, infra, { transport: dying }).worker.kick();
    await reachedSend;
    expect(await row('crash')).toMatchObject({ status: 'sending' });

    const restarted = createMailDelivery(warren.config, infra);
    await restarted.worker.drain();
    expect(await received('crash')).toBe(0); // the claim is recent: it may still be in flight elsewhere
    warren.clock.advance(DEFAULT_CLAIM_TIMEOUT_MS + 1000);
    await restarted.worker.drain();
    await restarted.close();
    expect(await received('crash')).toBe(1);
    expect(await row('crash')).toMatchObject({ status: 'sent' });
  });

  it('When the server is so slow that a batch outlives half the claim timeout, then the rest of the batch is handed back, not sent on a stale claim', async () => {
    for (const key of ['slow:1', 'slow:2', 'slow:3']) await queueAdminSale(warren, key);
    const smtp = createMailTransport({ smtpUrl: warren.config.smtpUrl, mailDir: warren.config.mailDir, clock: warren.clock });
    const claimAges: number[] = [];
    // Each message takes the server three minutes (the test clock moves; nothing waits).
    const slow: MailTransport = {
      kind: 'smtp',
      async send(message) {
        const { claimedAt } = await warren.db.outboxMessage.findUniqueOrThrow({ where: { id: /<([^@]+)@/.exec(message.messageId)![1] } });
        claimAges.push(warren.clock.now().getTime() - claimedAt!.getTime());
        await smtp.send(message);
        warren.clock.advance(3 * 60 * 1000);
      },
      close: () => smtp.close(),
    };
    const infra = { db: warren.db, dbKind: warren.database.kind, clock: warren.clock, logger: pino({ level: 'silent' }), ...mailFeatureServices(warren.db, warren.config) };
    const worker = createMailDelivery(warren.config, infra, { transport: slow, concurrency: 1 });
    await worker.worker.drain();
    await worker.close();
    expect(claimAges).toEqual([0, 0, 0]); // each message went out on a fresh claim
    for (const key of ['slow:1', 'slow:2', 'slow:3']) {
      expect(await received(key)).toBe(1);
      expect(await row(key)).toMatchObject({ status: 'sent', attempts: 1 });
    }
  });
});

describe('The retry policy', () => {
  const policy = { maxAttempts: 4, retryBaseMs: 1000 };

  it('When attempts fail, then the delay doubles within its jittered upper half and never exceeds an hour', () => {
    expect([retryDelayMs(1, 1000, () => 0), retryDelayMs(1, 1000, () => 1)]).toEqual([500, 1000]);
    expect([retryDelayMs(4, 1000, () => 0), retryDelayMs(4, 1000, () => 1)]).toEqual([4000, 8000]);
    expect(retryDelayMs(40, 1000, () => 1)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('When the error is a 5xx or the last attempt, then the message fails; 4xx and network errors are retried', () => {
    expect(afterFailure(Object.assign(new Error('x'), { responseCode: 550 }), 1, policy)).toEqual({ status: 'failed' });
    expect(afterFailure(Object.assign(new Error('x'), { responseCode: 451 }), 1, policy).status).toBe('pending');
    expect(afterFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }), 3, policy).status).toBe('pending');
    expect(afterFailure(new Error('timeout'), 4, policy)).toEqual({ status: 'failed' });
  });
});
