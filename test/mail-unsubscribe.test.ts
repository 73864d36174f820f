import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createUnsubscribeTokens } from '../server/mail/unsubscribe-token.ts';
import { APP_URL, expectStatus, startWarren, submitForm, type Warren } from './support/harness.ts';
import { header, queueAlert, queueAdminSale } from './support/mail-fixtures.ts';

describe('Unsubscribing from alerts', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  const linkIn = async (email: string) => {
    const mail = warren.inbox.to(email).at(-1)!;
    return /<([^>]+)>/.exec(header(mail, 'list-unsubscribe')!)![1].replace(APP_URL, '');
  };
  const alertsOf = async (email: string) => (await warren.db.user.findUniqueOrThrow({ where: { email } })).emailAlerts;

  it('When a mail client sends the RFC 8058 one-click POST (no cookie, no CSRF token), then later alerts stop and receipts do not', async () => {
    await queueAlert(warren, 'one-click@example.com', 'alert:a1');
    await warren.deliverMail();
    const link = await linkIn('one-click@example.com');

    const res = await request(warren.app).post(link).type('form').send('List-Unsubscribe=One-Click');
    expectStatus(res, 200);
    expect(res.text).toContain('You are unsubscribed');
    expect(await alertsOf('one-click@example.com')).toBe(false);

    expect((await queueAlert(warren, 'one-click@example.com', 'alert:a2')).queued).toBe(false);
    await queueAdminSale(warren, 'still-transactional', 'one-click@example.com');
    await warren.deliverMail();
    expect(warren.inbox.to('one-click@example.com').map((mail) => mail.subject)).toEqual([
      'The Decode Singularity: Hyperscaler inference contract is now confirmed',
      'New sale: The Decode Singularity (CA$75.00)',
    ]);
    expect(await warren.db.outboxMessage.count({ where: { dedupeKey: 'alert:a2' } })).toBe(0);
  });

  it('When a person opens the footer link, then they see a confirmation first, and their click unsubscribes them', async () => {
    await queueAlert(warren, 'footer@example.com', 'alert:b1');
    await warren.deliverMail();
    const link = await linkIn('footer@example.com');
    expect(warren.inbox.to('footer@example.com').at(-1)!.text).toContain(`${APP_URL}${link}`);

    const agent = request.agent(warren.app);
    const page = expectStatus(await agent.get(link), 200);
    expect(page.text).toContain('Unsubscribe from alerts?');
    expect(await alertsOf('footer@example.com')).toBe(true); // a link scanner's GET changes nothing
    const token = new URL(link, APP_URL).searchParams.get('token')!;
    expectStatus(await submitForm(agent, link, '/unsubscribe', { token }), 200);
    expect(await alertsOf('footer@example.com')).toBe(false);
  });

  it('When an alert was queued before the person unsubscribed, then it is not sent (consent is checked at delivery)', async () => {
    const { userId } = await queueAlert(warren, 'late@example.com', 'alert:c1');
    const token = createUnsubscribeTokens(warren.config.jwtSecret).sign(userId);
    expectStatus(await request(warren.app).post(`/unsubscribe?token=${token}`).type('form').send('List-Unsubscribe=One-Click'), 200);
    await warren.deliverMail();
    expect(warren.inbox.to('late@example.com')).toHaveLength(0);
    expect(await warren.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: 'alert:c1' } })).toMatchObject({ status: 'skipped' });
  });

  it('When the token is forged, altered, for someone else or missing, then 400 and nobody is unsubscribed', async () => {
    const { userId } = await queueAlert(warren, 'victim@example.com', 'alert:d1');
    const { userId: other } = await queueAlert(warren, 'other@example.com', 'alert:d2');
    const real = createUnsubscribeTokens(warren.config.jwtSecret).sign(other);
    const forged = [
      createUnsubscribeTokens('another-secret-of-at-least-32-characters').sign(userId),
      `${userId}.${real.split('.')[1]}`,
      `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`, // also the last character's unused bits
      `${real.slice(0, -10)}${real.at(-10) === 'Q' ? 'R' : 'Q'}${real.slice(-9)}`,
      'garbage',
    ];
    for (const token of forged) {
      expectStatus(await request(warren.app).get(`/unsubscribe?token=${encodeURIComponent(token)}`), 400);
      expectStatus(await request(warren.app).post(`/unsubscribe?token=${encodeURIComponent(token)}`).type('form').send('List-Unsubscribe=One-Click'), 400);
    }
    expectStatus(await request(warren.app).post('/unsubscribe').type('form').send('List-Unsubscribe=One-Click'), 400);
    expect(await alertsOf('victim@example.com')).toBe(true);
    expect(await alertsOf('other@example.com')).toBe(true);
  });
});

describe('The development inbox', () => {
  let warren: Warren;
  const mailDir = mkdtempSync(path.join(tmpdir(), 'warren-mail-'));
  beforeAll(async () => {
    // No SMTP_URL: mail goes to .eml files, as on a developer's machine.
    warren = await startWarren({ SMTP_URL: undefined, MAIL_DIR: mailDir });
    await warren.db.user.create({ data: { email: 'dev@example.com', createdAt: warren.clock.now() } });
  });
  afterAll(async () => {
    await warren.close();
    rmSync(mailDir, { recursive: true, force: true });
  });

  it('When mail is written to files, then /dev/mail lists it and shows a clickable sign-in link', async () => {
    const agent = request.agent(warren.app);
    expectStatus(await submitForm(agent, '/login', '/login', { email: 'dev@example.com' }), 200);
    await warren.deliverMail();
    const list = expectStatus(await agent.get('/dev/mail'), 200);
    expect(list.text).toContain('Your sign-in link for The Rabbit Hole');
    const file = /href="\/dev\/mail\/([\w.-]+\.eml)"/.exec(list.text)![1];
    const shown = expectStatus(await agent.get(`/dev/mail/${file}`), 200);
    const link = /<a href="http:\/\/warren\.test(\/login\/verify\?token&#x3D;[A-Za-z0-9_-]{43})">/.exec(shown.text);
    expect(link).not.toBeNull();
    expectStatus(await agent.get(link![1].replace('&#x3D;', '=')), 200);
    const html = expectStatus(await agent.get(`/dev/mail/${file}/html`), 200);
    expect(html.headers['content-security-policy']).toMatch(/^sandbox/);
    expect(html.text).toContain('not investment advice');
  });

  it('When a file name is not one the inbox wrote, then 404', async () => {
    for (const name of ['..%2F..%2Fetc%2Fpasswd', 'missing.eml', '..%2Fwarren.db']) expectStatus(await request(warren.app).get(`/dev/mail/${name}`), 404);
  });

  it('When the site runs in production, then /dev/mail does not exist', async () => {
    const production = await startWarren({ NODE_ENV: 'production', MAIL_DIR: mailDir });
    try {
      expectStatus(await request(production.app).get('/dev/mail'), 404);
      expectStatus(await request(production.app).get('/dev/mail/x.eml'), 404);
    } finally {
      await production.close();
    }
  });
});
