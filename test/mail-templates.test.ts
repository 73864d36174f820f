import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { enqueueMail, enqueueMails } from '../server/mail/outbox.ts';
import { saleNotices } from '../server/mail/sale-notices.ts';
import { createMailRenderer } from '../server/mail/templates.ts';
import { APP_URL, startWarren, type Warren } from './support/harness.ts';
import { HOSTILE, decodeAttribute, header, queueAlert, signalAlertData } from './support/mail-fixtures.ts';

describe('E-mail templates, as received over SMTP', () => {
  let warren: Warren;
  const received: Record<string, ParsedMail> = {};

  beforeAll(async () => {
    warren = await startWarren({ PUBLISHER_NAME: 'Northgate Research' });
    const buyer = await warren.db.user.create({ data: { email: 'buyer@example.com', createdAt: warren.clock.now() } });
    await enqueueMail(warren.db, {
      dedupeKey: 'receipt:1',
      template: 'receipt',
      recipient: 'buyer@example.com',
      data: { thesisTitle: HOSTILE.title, price: 'CA$75.00', purchasedOn: '2026-11-26', reference: 'p_1' },
      signInFor: { userId: buyer.id, nextPath: '/theses/decode-singularity' },
    }, warren.clock.now());
    await enqueueMail(warren.db, { dedupeKey: 'sign-in:1', template: 'sign-in', recipient: 'buyer@example.com', data: {}, signInFor: { userId: buyer.id, nextPath: '/' } }, warren.clock.now());
    await enqueueMail(warren.db, {
      dedupeKey: 'revoked:1',
      template: 'access-revoked',
      recipient: 'refunded@example.com',
      data: { thesisTitle: HOSTILE.title, reason: 'refund', effectiveOn: '2026-11-26' },
    }, warren.clock.now());
    await enqueueMail(warren.db, {
      dedupeKey: 'paused:1',
      template: 'access-paused',
      recipient: 'disputed@example.com',
      data: { thesisTitle: HOSTILE.title, effectiveOn: '2026-11-26' },
    }, warren.clock.now());
    await enqueueMail(warren.db, {
      dedupeKey: 'restored:1',
      template: 'access-restored',
      recipient: 'disputed@example.com',
      data: { thesisTitle: HOSTILE.title, thesisSlug: 'a"b/../c', effectiveOn: '2026-11-27' },
    }, warren.clock.now());
    await enqueueMail(warren.db, {
      dedupeKey: 'duplicate:1',
      template: 'duplicate-payment',
      recipient: 'buyer@example.com',
      data: { thesisTitle: HOSTILE.title, price: '$75 CAD', refunded: true },
      signInFor: { userId: buyer.id, nextPath: '/theses/decode-singularity' },
    }, warren.clock.now());
    await enqueueMail(warren.db, {
      dedupeKey: 'sale:1',
      template: 'admin-sale',
      recipient: 'publisher@example.com',
      data: { thesisTitle: HOSTILE.header, buyerEmail: HOSTILE.tag, price: 'CA$75.00', purchasedOn: '2026-11-26', reference: 'p_1' },
    }, warren.clock.now());
    await queueAlert(warren, 'member@example.com', 'alert:1', signalAlertData({ signalTitle: HOSTILE.tag, note: `First line <b>bold?</b>\nsecond line\n\n${HOSTILE.title}` }));
    await warren.deliverMail();
    const rows = await warren.db.outboxMessage.findMany({ select: { id: true, template: true, status: true } });
    expect(rows.map((row) => row.status)).toEqual(rows.map(() => 'sent'));
    for (const row of rows) received[row.template] = warren.inbox.messages.find((mail) => mail.messageId === `<${row.id}@warren.test>`)!;
  });
  afterAll(() => warren.close());

  it('When any e-mail arrives, then it has both parts, the sender from MAIL_FROM, the layout, and its outbox row as Message-ID', () => {
    expect(Object.keys(received).sort()).toEqual(['access-paused', 'access-restored', 'access-revoked', 'admin-sale', 'duplicate-payment', 'receipt', 'sign-in', 'signal-alert']);
    for (const [template, mail] of Object.entries(received)) {
      expect(mail, template).toBeDefined();
      expect(mail.from?.value, template).toEqual([{ name: 'Warren Research', address: 'research@warren.test' }]);
      expect(mail.html, template).toContain('<table role="presentation"');
      for (const part of [mail.html as string, mail.text ?? '']) {
        expect(part, template).toContain('Northgate Research');
        expect(part, template).toContain('not investment advice');
      }
      expect(mail.html as string, template).not.toMatch(/<script|<img|<svg|src=["']?https?:/i);
    }
  });

  it('When a receipt arrives, then it lists the purchase and a working sign-in link in both parts, with the title escaped', () => {
    const mail = received.receipt;
    expect(mail.subject).toBe(`Your receipt: ${HOSTILE.title}`);
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(mail.text).toContain(HOSTILE.title);
    for (const part of [mail.html as string, mail.text ?? '']) {
      expect(part).toContain('CA$75.00');
      expect(decodeAttribute(part)).toMatch(new RegExp(`${APP_URL}/login/verify\\?token=[A-Za-z0-9_-]{43}`));
    }
    expect(header(mail, 'list-unsubscribe')).toBeUndefined();
  });

  it('When a sign-in e-mail arrives, then it carries a single-use link and no unsubscribe (it is transactional)', () => {
    const mail = received['sign-in'];
    expect(mail.subject).toBe('Your sign-in link for Northgate Research');
    expect(mail.text).toMatch(/\/login\/verify\?token=/);
    expect(decodeAttribute(mail.html as string)).toMatch(/href="http:\/\/warren\.test\/login\/verify\?token=/);
    expect(header(mail, 'list-unsubscribe')).toBeUndefined();
    expect(mail.text).not.toContain('Unsubscribe');
  });

  it('When a signal alert arrives, then it shows status, date, note and chain head, escapes the data, and offers one-click unsubscribe', () => {
    const mail = received['signal-alert'];
    expect(mail.subject).toBe(`The Decode Singularity: ${HOSTILE.tag} is now confirmed`);
    expect(mail.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(mail.html).toContain('<p style="margin:0 0 12px;">First line &lt;b&gt;bold?&lt;/b&gt;<br>second line</p>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).toContain('Confirmed');
    expect(mail.html).toContain('November 26, 2026');
    expect(mail.html).toContain(`href="${APP_URL}/theses/decode-singularity/signals"`);
    expect(mail.html).toContain(`Record 7 · chain head <span style="word-break:break-all;">${'ab'.repeat(32)}</span>`);
    expect(mail.text).toContain('Status: Confirmed');
    expect(mail.text).toContain(`Record 7 · chain head ${'ab'.repeat(32)}`);
    expect(mail.text).toContain('First line <b>bold?</b>\nsecond line\n\n<script>');
    const listUnsubscribe = header(mail, 'list-unsubscribe');
    expect(listUnsubscribe).toMatch(new RegExp(`^List-Unsubscribe: <${APP_URL}/unsubscribe\\?token=[^>]+>$`));
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const url = /<([^>]+)>/.exec(listUnsubscribe!)![1];
    expect(mail.text).toContain(url);
    expect(decodeAttribute(mail.html as string)).toContain(`href="${url}"`);
  });

  it('When an access-revoked notice arrives, then it names the thesis (escaped) and the reason', () => {
    const mail = received['access-revoked'];
    expect(mail.subject).toBe(`Your access to ${HOSTILE.title} has ended`);
    expect(mail.html).toContain('&lt;script&gt;');
    for (const part of [mail.html as string, mail.text ?? '']) expect(part).toContain('Your payment was refunded');
  });

  it('When a dispute pauses access and then restores it, then each notice names the thesis (escaped), and the link stays on the site', () => {
    expect(received['access-paused'].subject).toBe(`Your access to ${HOSTILE.title} is paused`);
    expect(received['access-paused'].html).toContain('&lt;script&gt;');
    expect(received['access-paused'].text).toContain('disputed with your bank');
    const restored = received['access-restored'];
    expect(restored.subject).toBe(`Your access to ${HOSTILE.title} is back`);
    expect(restored.text).toContain(`${APP_URL}/theses/a%22b%2F..%2Fc`);
  });

  it('When a duplicate payment is refunded, then the buyer is told so, with a working sign-in link and code', () => {
    const mail = received['duplicate-payment'];
    expect(mail.subject).toBe(`You already have ${HOSTILE.title}: your payment is refunded`);
    for (const part of [mail.html as string, mail.text ?? '']) {
      expect(part).toContain('refunding it in full ($75 CAD)');
      expect(decodeAttribute(part)).toMatch(/\/login\/verify\?token=/);
    }
  });

  it('When the admin sale notice arrives, then a newline in data cannot add headers and the buyer is escaped', () => {
    const mail = received['admin-sale'];
    expect(mail.subject).toBe('New sale: Innocent Bcc: victim@example.com (CA$75.00)');
    expect(mail.bcc).toBeUndefined();
    expect(header(mail, 'bcc')).toBeUndefined();
    expect(mail.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(mail.text).toContain('Buyer:     <img src=x onerror=alert(1)>');
  });

  it('When a sale is recorded twice, then each administrator gets one sale notice', async () => {
    const sale = { thesisTitle: 'T', buyerEmail: 'b@example.com', price: 'CA$75.00', purchasedOn: '2026-11-26', reference: 'p_9' };
    for (let i = 0; i < 2; i++) await enqueueMails(warren.db, saleNotices(['a1@example.com', 'a2@example.com'], sale), warren.clock.now());
    await warren.deliverMail();
    expect(warren.inbox.to('a1@example.com').map((mail) => mail.subject)).toEqual(['New sale: T (CA$75.00)']);
    expect(warren.inbox.to('a2@example.com')).toHaveLength(1);
  });

  it('When MAIL_SUBJECTS overrides a subject, then it is used; an unknown template name is refused at start-up', () => {
    const publisher = { name: 'Northgate Research', appUrl: APP_URL };
    const renderer = createMailRenderer({ publisher, subjects: { 'signal-alert': '[{{publisher.name}}] {{signalTitle}}' } });
    expect(renderer.render('signal-alert', signalAlertData()).subject).toBe('[Northgate Research] Hyperscaler inference contract');
    expect(() => createMailRenderer({ publisher, subjects: { welcome: 'Hi' } })).toThrow(/welcome/);
  });
});
