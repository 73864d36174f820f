import type { Config } from '../config.ts';

/**
 * What `npm start` prints in development, so a newcomer knows where to go: the site, the inbox, who
 * to sign in as and how payments run. Nothing in production (operators read the JSON log lines).
 */
export function tryItBlock(config: Readonly<Config>): string | null {
  if (config.env !== 'development') return null;
  const lines = [
    ['Site', config.appUrl],
    ['Inbox', config.smtpUrl ? 'mail goes to SMTP_URL' : `${config.appUrl}/dev/mail  (every e-mail the site sends)`],
    ['Admin', config.adminEmails[0] ? `sign in as ${config.adminEmails[0]}, then open ${config.appUrl}/admin` : 'none: set ADMIN_EMAILS'],
    [
      'Payments',
      config.testPayments
        ? `test mode, no money moves; refunds and disputes at ${config.appUrl}/dev/payments`
        : config.stripe
          ? 'Stripe (the keys in STRIPE_SECRET_KEY)'
          : 'off: nothing can be bought',
    ],
  ];
  return ['', '  Try Warren:', ...lines.map(([label, text]) => `    ${label.padEnd(9)} ${text}`), ''].join('\n');
}
