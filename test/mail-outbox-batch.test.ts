import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLAIM_TIMEOUT_MS } from '../server/mail/outbox-worker.ts';
import { enqueueMail, enqueueMails } from '../server/mail/outbox.ts';
import { unsubscribeFromAlerts } from '../server/mail/mail.repo.ts';
import request from 'supertest';
import { APP_URL, expectStatus, startWarren, submitForm, type Warren } from './support/harness.ts';
import { entitle, header, queueAdminSale, queueAlert, signalAlertData } from './support/mail-fixtures.ts';

const RECEIPT = { thesisTitle: 'The Decode Singularity', price: '$75.00 CAD', purchasedOn: '2026-11-26', reference: 'r' };

/**
 * The worker claims rows in batches and writes their outcomes together (one INSERT for the batch's
 * sign-in links, one UPDATE for the rows the server accepted): each row must still end in its own state.
 */
describe('Delivering a batch of outbox messages together', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ MAIL_RETRY_BASE_SECONDS: '30' });
  });
  afterAll(() => warren.close());

  const row = (dedupeKey: string) => warren.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey } });

  it('When one message of a batch is refused for good (5xx), one is deferred (4xx) and the rest are accepted, then each row ends in its own state', async () => {
    const buyer = await warren.db.user.create({ data: { email: 'batch.buyer@example.com', createdAt: warren.clock.now() } });
    const recipients = ['batch.ok1@example.com', 'batch.ok2@example.com', 'batch.bounce@example.com', 'batch.grey@example.com', 'batch.ok3@example.com'];
    for (const [n, recipient] of recipients.entries()) {
      await enqueueMail(warren.db, {
        dedupeKey: `batch:${n}`,
        template: 'receipt',
        recipient,
        data: { ...RECEIPT, reference: `batch-${n}` },
        signInFor: { userId: buyer.id, nextPath: '/account' },
      }, warren.clock.now());
    }
    warren.inbox.rejectRecipient('batch.bounce@example.com', 550, 'No such mailbox here');
    warren.inbox.rejectRecipient('batch.grey@example.com', 451, 'Greylisted, try later');

    await warren.deliverMail();

    const now = warren.clock.now().getTime();
    for (const n of [0, 1, 4]) {
      const sent = await row(`batch:${n}`);
      expect(sent).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
      expect(sent.sentAt).not.toBeNull();
      expect(warren.inbox.to(recipients[n])).toHaveLength(1);
    }
    const bounced = await row('batch:2');
    expect(bounced).toMatchObject({ status: 'failed', attempts: 1, sentAt: null });
    expect(bounced.lastError).toContain('No such mailbox here');
    const deferred = await row('batch:3');
    expect(deferred).toMatchObject({ status: 'pending', attempts: 1, sentAt: null });
    expect(deferred.lastError).toContain('Greylisted');
    expect(deferred.nextAttemptAt.getTime()).toBeGreaterThan(now);
    expect(warren.inbox.to('batch.bounce@example.com')).toHaveLength(0);
    expect(warren.inbox.to('batch.grey@example.com')).toHaveLength(0);
    expect(await warren.db.outboxMessage.count({ where: { dedupeKey: { startsWith: 'batch:' }, status: 'sending' } })).toBe(0);

    // Each delivered receipt carries its own link, minted in the one insert, and each signs the buyer in once.
    const links = [0, 1, 4].map((n) => warren.inbox.latestLink(recipients[n], warren.config.appUrl));
    expect(new Set(links).size).toBe(3);
    for (const link of links) {
      const agent = request.agent(warren.app);
      const token = new URL(link, APP_URL).searchParams.get('token')!;
      expect(expectStatus(await submitForm(agent, link, '/login/verify', { token }), 303).headers.location).toBe('/account');
      expectStatus(await agent.get('/account'), 200);
    }
  });

  it('When a batch mixes alerts to consenting members and to members who unsubscribed since queueing (named by id or by address) with a receipt, then only the consenting alerts and the receipt go out', async () => {
    const keen = await queueAlert(warren, 'mixed.keen@example.com', 'mixed:keen');
    const gone = await queueAlert(warren, 'mixed.gone@example.com', 'mixed:gone');
    const byAddress = async (email: string, dedupeKey: string) => {
      const user = await warren.db.user.create({ data: { email, createdAt: warren.clock.now() } });
      await entitle(warren, user.id, signalAlertData().thesisSlug);
      // No userId: the worker finds the member by the recipient's address.
      await enqueueMail(warren.db, { dedupeKey, template: 'signal-alert', recipient: email, data: signalAlertData() }, warren.clock.now());
      return user;
    };
    const keenByAddress = await byAddress('mixed.addr.keen@example.com', 'mixed:addr-keen');
    const goneByAddress = await byAddress('mixed.addr.gone@example.com', 'mixed:addr-gone');
    await enqueueMail(warren.db, { dedupeKey: 'mixed:receipt', template: 'receipt', recipient: 'mixed.gone@example.com', data: RECEIPT }, warren.clock.now());
    // After queueing, before delivery: the unsubscribe wins.
    await unsubscribeFromAlerts(warren.db, gone.userId);
    await unsubscribeFromAlerts(warren.db, goneByAddress.id);

    await warren.deliverMail();

    expect(await row('mixed:keen')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await row('mixed:addr-keen')).toMatchObject({ status: 'sent', attempts: 1 });
    for (const key of ['mixed:gone', 'mixed:addr-gone']) {
      expect(await row(key)).toMatchObject({ status: 'skipped', lastError: 'recipient unsubscribed from alerts', sentAt: null });
    }
    expect(await row('mixed:receipt')).toMatchObject({ status: 'sent' });
    expect(header(warren.inbox.to('mixed.keen@example.com')[0], 'list-unsubscribe')).toContain(`unsubscribe?token=${keen.userId}.`);
    expect(header(warren.inbox.to('mixed.addr.keen@example.com')[0], 'list-unsubscribe')).toContain(`unsubscribe?token=${keenByAddress.id}.`);
    expect(warren.inbox.to('mixed.gone@example.com').map((mail) => mail.subject)).toEqual(['Your receipt: The Decode Singularity']);
    expect(warren.inbox.to('mixed.addr.gone@example.com')).toHaveLength(0);
  });

  it('When the batch insert of sign-in links fails (one names a user that no longer exists), then only that message fails and the others go out with their links', async () => {
    const member = await warren.db.user.create({ data: { email: 'links.member@example.com', createdAt: warren.clock.now() } });
    const ghost = await warren.db.user.create({ data: { email: 'links.ghost@example.com', createdAt: warren.clock.now() } });
    for (const [key, userId, recipient] of [
      ['links:a', member.id, 'links.a@example.com'],
      ['links:ghost', ghost.id, 'links.ghost@example.com'],
      ['links:b', member.id, 'links.b@example.com'],
    ] as const) {
      await enqueueMail(warren.db, { dedupeKey: key, template: 'receipt', recipient, data: RECEIPT, signInFor: { userId, nextPath: '/' } }, warren.clock.now());
    }
    await warren.db.user.delete({ where: { id: ghost.id } }); // its link would break the foreign key

    await warren.deliverMail();

    expect(await row('links:a')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await row('links:b')).toMatchObject({ status: 'sent', attempts: 1 });
    const ghostRow = await row('links:ghost');
    expect(ghostRow).toMatchObject({ status: 'pending', attempts: 1, sentAt: null });
    expect(ghostRow.lastError).toBeTruthy();
    expect(warren.inbox.to('links.ghost@example.com')).toHaveLength(0);
    expect(await warren.db.signInLink.count({ where: { userId: member.id } })).toBe(2);
    expect(warren.inbox.latestLink('links.a@example.com', warren.config.appUrl)).not.toBe(warren.inbox.latestLink('links.b@example.com', warren.config.appUrl));
  });

  it('When recording one accepted message fails, then the others of its write are still marked sent, and that one stays claimed until it is delivered again after the claim timeout', async () => {
    for (const key of ['record:a', 'record:b']) await queueAdminSale(warren, key, `${key.replace(':', '.')}@example.com`);
    await queueAdminSale(warren, 'record:stuck', 'record.stuck@example.com');
    // The database refuses to mark that one row sent (as a constraint or a failing disk might), whatever
    // else shares the statement.
    const refuse = await refuseToMarkSent(warren, 'record.stuck@example.com');

    await warren.deliverMail();

    expect(await row('record:a')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await row('record:b')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await row('record:stuck')).toMatchObject({ status: 'sending', attempts: 0, sentAt: null });
    expect(warren.inbox.to('record.stuck@example.com')).toHaveLength(1);

    await refuse.lift();
    await warren.deliverMail();
    expect(await row('record:stuck')).toMatchObject({ status: 'sending' }); // the claim is recent: maybe still in flight
    warren.clock.advance(DEFAULT_CLAIM_TIMEOUT_MS + 1000);
    await warren.deliverMail();
    expect(await row('record:stuck')).toMatchObject({ status: 'sent', attempts: 1 });
    // Sent twice (the window README.md describes), with the same Message-ID so the duplicate is recognisable.
    const copies = warren.inbox.to('record.stuck@example.com');
    expect(copies).toHaveLength(2);
    expect(copies[0].messageId).toBe(copies[1].messageId);
    expect(warren.inbox.to('record.a@example.com')).toHaveLength(1);
  });
  it('When an alert goes to more members than one statement takes (1,201: three chunks), then each who accepts alerts is queued once, in chunks, and the others are not', async () => {
    const now = warren.clock.now();
    const emails = Array.from({ length: 1201 }, (_, n) => `many.${n}@example.com`);
    // Every seventh member switched alerts off: the consent check must hold in every chunk.
    await warren.db.user.createMany({ data: emails.map((email, n) => ({ email, createdAt: now, emailAlerts: n % 7 !== 0 })) });
    const users = await warren.db.user.findMany({ where: { email: { startsWith: 'many.' } }, select: { id: true, email: true } });
    const mails = users.map((user) => ({
      dedupeKey: `many:${user.email}`,
      template: 'signal-alert' as const,
      recipient: user.email,
      userId: user.id,
      data: signalAlertData(),
    }));
    const wanted = emails.filter((_, n) => n % 7 !== 0).length;
    expect(await enqueueMails(warren.db, mails, now)).toBe(wanted);
    expect(await warren.db.outboxMessage.count({ where: { dedupeKey: { startsWith: 'many:' } } })).toBe(wanted);
    expect(await warren.db.outboxMessage.count({ where: { dedupeKey: 'many:many.0@example.com' } })).toBe(0);
    // Queued again (a retried transaction): no second row for anyone.
    await enqueueMails(warren.db, mails, now);
    expect(await warren.db.outboxMessage.count({ where: { dedupeKey: { startsWith: 'many:' } } })).toBe(wanted);
  });
});

/** A trigger that makes the database refuse to move this recipient's rows to 'sent'. */
async function refuseToMarkSent(warren: Warren, recipient: string): Promise<{ lift(): Promise<void> }> {
  const quoted = `'${recipient.replace(/'/g, "''")}'`;
  if (warren.database.kind === 'sqlite') {
    await warren.db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_sent BEFORE UPDATE ON "OutboxMessage" WHEN NEW."status" = 'sent' AND OLD."recipient" = ${quoted}
       BEGIN SELECT RAISE(ABORT, 'refusing to mark this row sent'); END`,
    );
    return { lift: async () => void (await warren.db.$executeRawUnsafe('DROP TRIGGER refuse_sent')) };
  }
  await warren.db.$executeRawUnsafe(
    `CREATE FUNCTION refuse_sent() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refusing to mark this row sent'; END $$`,
  );
  await warren.db.$executeRawUnsafe(
    `CREATE TRIGGER refuse_sent BEFORE UPDATE ON "OutboxMessage" FOR EACH ROW
     WHEN (NEW."status" = 'sent' AND OLD."recipient" = ${quoted}) EXECUTE FUNCTION refuse_sent()`,
  );
  return {
    async lift() {
      await warren.db.$executeRawUnsafe('DROP TRIGGER refuse_sent ON "OutboxMessage"');
      await warren.db.$executeRawUnsafe('DROP FUNCTION refuse_sent()');
    },
  };
}
