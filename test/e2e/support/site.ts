import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { FakeStripe } from '../../support/fake-stripe.ts';
import { SmtpInbox } from '../../support/smtp-inbox.ts';
import { freePort, startAppProcess, type AppProcess } from '../../support/app-process.ts';

const WEBHOOK_SECRET = 'whsec_e2e_secret';

export interface Site {
  url: string;
  /** The site's SQLite file, for a test that reads what was stored. */
  databaseUrl: string;
  stripe: FakeStripe;
  inbox: SmtpInbox;
  app: AppProcess;
  /**
   * The site mails one sign-in link per address per minute; a browser test signing the same person
   * in again cannot wait that minute out, so it forgets the links already delivered to them.
   */
  forgetDeliveredSignInMail(email: string): void;
  close(): Promise<void>;
}

/**
 * The whole site as production runs it (`server/main.ts`, NODE_ENV=production) on a fresh SQLite
 * file, with the fake Stripe API (whose hosted checkout page sends the signed webhook) and a real
 * SMTP inbox. `adminEmails` become ADMIN_EMAILS: those people sign in to /admin by e-mailed link.
 */
export async function startSite({ adminEmails = [] }: { adminEmails?: readonly string[] } = {}): Promise<Site> {
  const [stripe, inbox, port] = await Promise.all([new FakeStripe().start(), new SmtpInbox().start(), freePort()]);
  const url = `http://127.0.0.1:${port}`;
  stripe.sendWebhooksTo(`${url}/webhooks/stripe`, WEBHOOK_SECRET);
  const dir = mkdtempSync(path.join(tmpdir(), 'warren-e2e-'));
  const databaseUrl = `file:${path.join(dir, 'warren.db')}`;
  const app = await startAppProcess({
    NODE_ENV: 'production',
    PORT: String(port),
    APP_URL: url,
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    STRIPE_SECRET_KEY: 'sk_test_e2e',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: stripe.url,
    SMTP_URL: inbox.url,
    MAIL_FROM: 'Warren Research <research@warren.test>',
    DEMO_CONTENT: 'true',
    ADMIN_EMAILS: adminEmails.join(','),
    CONTACT_EMAIL: 'contact@warren.test',
    // The seller a receipt names, as a Canadian publisher sets it.
    SELLER_LEGAL_NAME: 'Rabbit Hole Research Inc.',
    SELLER_ADDRESS: '1 King St W\\nToronto ON  M5H 1A1\\nCanada',
    SELLER_GST_HST_NUMBER: '123456789 RT0001',
    LOG_LEVEL: 'info', // startAppProcess waits for the info line saying it listens
  });
  return {
    url,
    databaseUrl,
    stripe,
    inbox,
    app,
    forgetDeliveredSignInMail(email) {
      const db = new Sqlite(path.join(dir, 'warren.db'));
      try {
        db.prepare(`DELETE FROM "OutboxMessage" WHERE "template" = 'sign-in' AND "recipient" = ? AND "status" = 'sent'`).run(email);
      } finally {
        db.close();
      }
    },
    async close() {
      await app.stop();
      await Promise.all([stripe.close(), inbox.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
