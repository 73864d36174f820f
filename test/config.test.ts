import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, DEVELOPMENT_ADMIN_EMAIL, loadConfig } from '../server/config.ts';
import { tryItBlock } from '../server/dev/try-it.ts';
import { REPO_ROOT } from '../server/paths.ts';

const production = {
  NODE_ENV: 'production',
  APP_URL: 'https://research.example.com/',
  JWT_SECRET: '5d41402abc4b2a76b9719d911017c592a1b2c3d4',
  STRIPE_SECRET_KEY: 'sk_live_abc',
  STRIPE_WEBHOOK_SECRET: 'whsec_abc',
  SMTP_URL: 'smtp://mail.example.com:587',
  MAIL_FROM: 'Research <r@example.com>',
  CONTACT_EMAIL: 'contact@example.com',
};

describe('Configuration', () => {
  it('When nothing is set in development, then the embedded defaults apply', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ env: 'development', port: 3000, appUrl: 'http://localhost:3000', databaseUrl: 'file:./data/warren.db' });
    expect(config.stripe).toBeUndefined();
    expect(config.demoContent).toBe(true);
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('When production lacks a variable, then start-up stops naming every missing one', () => {
    const { JWT_SECRET: _secret, STRIPE_WEBHOOK_SECRET: _hook, ...missingTwo } = production;
    expect(() => loadConfig(missingTwo)).toThrow(ConfigError);
    expect(() => loadConfig(missingTwo)).toThrow(/JWT_SECRET, STRIPE_WEBHOOK_SECRET/);
  });

  it('When a variable is malformed, then the message names it', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ MAIL_FROM: 'a@b.c\r\nBcc: x@y.z' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
  });

  it('When production is fully configured, then cookies are Secure, demo content is off and admins are normalised', () => {
    const config = loadConfig({ ...production, ADMIN_EMAILS: ' Boss@Example.com, ed@example.com ,' });
    expect(config.appUrl).toBe('https://research.example.com');
    expect(config.secureCookies).toBe(true);
    expect(config.demoContent).toBe(false);
    expect(config.adminEmails).toEqual(['boss@example.com', 'ed@example.com']);
  });

  it('When a secret is a published placeholder (the old compose.yaml defaults, "change-me" and the like), then start-up refuses it, naming the variable', () => {
    const refused = [
      { JWT_SECRET: 'local-compose-secret-change-me-0123456789' },
      { JWT_SECRET: 'please-CHANGE_ME-before-going-live-000000' },
      { JWT_SECRET: 'replace-me-replace-me-replace-me-replace' },
      { METRICS_TOKEN: 'local-metrics-token-change-me' },
      { METRICS_TOKEN: 'placeholder-metrics-token' },
    ];
    for (const secrets of refused) {
      expect(() => loadConfig({ ...production, ...secrets })).toThrow(new RegExp(`${Object.keys(secrets)[0]}: is a published placeholder`));
      expect(() => loadConfig(secrets)).toThrow(ConfigError); // in development too
    }
    expect(loadConfig({ ...production, METRICS_TOKEN: 'b1946ac92492d2347c6235b4d2611184' }).metricsToken).toBe('b1946ac92492d2347c6235b4d2611184');
  });

  it('When a production secret reads as words (as the repository’s test and benchmark secrets do), then start-up refuses it; elsewhere it is accepted', () => {
    for (const secrets of [
      { JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long' },
      { JWT_SECRET: 'multi_instance secret.shared-by-every-replica' },
      { METRICS_TOKEN: 'metrics-token-for-the-tests' },
    ]) {
      expect(() => loadConfig({ ...production, ...secrets })).toThrow(new RegExp(`${Object.keys(secrets)[0]}: reads as words`));
      expect(() => loadConfig({ ...production, NODE_ENV: 'test', ...secrets })).not.toThrow();
    }
    // Generated values pass, a UUID's hexadecimal groups included.
    for (const value of ['3f1c9a6e-8b2d-4c7f-a1e0-5d9b7c3e2f10', 'q8F-zK2_mW9xR4tY7uP1sL6vN3bJ0hG5cD-aE8iO2', 'ab-cd-ef-0123456789abcdef0123456789']) {
      expect(loadConfig({ ...production, JWT_SECRET: value }).jwtSecret).toBe(value);
    }
  });

  it('When a secret is long enough but not random (all one character, only spaces, a short pattern repeated), then start-up refuses it', () => {
    const refused = [
      { JWT_SECRET: 'x'.repeat(40) },
      { JWT_SECRET: ' '.repeat(40) },
      { JWT_SECRET: 'ab'.repeat(20) },
      { JWT_SECRET: '0123'.repeat(10) },
      { METRICS_TOKEN: '0'.repeat(16) },
    ];
    for (const secrets of refused) {
      expect(() => loadConfig({ ...production, ...secrets })).toThrow(new RegExp(`${Object.keys(secrets)[0]}: has fewer than 5 distinct characters`));
    }
    expect(loadConfig({ ...production, METRICS_TOKEN: '9f86d081884c7d65' }).metricsToken).toBe('9f86d081884c7d65');
  });

  it('When compose.yaml is read, then no secret has a default value: each must be given (${VAR:?...})', () => {
    const compose = readFileSync(path.join(REPO_ROOT, 'compose.yaml'), 'utf8');
    for (const name of ['JWT_SECRET', 'METRICS_TOKEN', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']) {
      expect(compose).toMatch(new RegExp(`^  ${name}: \\$\\{${name}:\\?`, 'm'));
    }
    expect(compose).not.toMatch(/(SECRET|TOKEN)[A-Z_]*:-/);
  });

  it('When the HTTP server limits are set, then they are read; a headers timeout longer than the request timeout is refused', () => {
    expect(loadConfig({}).http).toEqual({ requestTimeoutMs: 30_000, headersTimeoutMs: 20_000, maxConnections: 10_000 });
    const set = loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '2000', HTTP_MAX_CONNECTIONS: '50' });
    expect(set.http).toEqual({ requestTimeoutMs: 5000, headersTimeoutMs: 2000, maxConnections: 50 });
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_HEADERS_TIMEOUT_MS: '2000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: '0' })).toThrow(/HTTP_MAX_CONNECTIONS/);
  });

  it('When business tax IDs or Stripe invoices are switched, then they are read as booleans, off by default, and anything else is refused by name', () => {
    expect(loadConfig({}).checkout).toMatchObject({ taxIdCollection: false, invoices: false });
    expect(loadConfig({ STRIPE_TAX_ID_COLLECTION: 'true', STRIPE_INVOICES: '1' }).checkout).toMatchObject({ taxIdCollection: true, invoices: true });
    expect(() => loadConfig({ STRIPE_TAX_ID_COLLECTION: 'yes' })).toThrow(/STRIPE_TAX_ID_COLLECTION/);
    expect(() => loadConfig({ STRIPE_INVOICES: 'on' })).toThrow(/STRIPE_INVOICES/);
  });

  it('When development has no Stripe keys, then payments run in test mode with promotion codes; keys or TEST_PAYMENTS=false turn it off', () => {
    expect(loadConfig({})).toMatchObject({ testPayments: true, stripe: undefined, checkout: { promotionCodes: true } });
    expect(loadConfig({ NODE_ENV: 'test' }).testPayments).toBe(true);
    expect(loadConfig({ STRIPE_PROMOTION_CODES: 'false' }).checkout.promotionCodes).toBe(false);
    expect(loadConfig({ TEST_PAYMENTS: 'false' })).toMatchObject({ testPayments: false, checkout: { promotionCodes: false } });
    const withKeys = loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' });
    expect(withKeys).toMatchObject({ testPayments: false, checkout: { promotionCodes: false } });
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', TEST_PAYMENTS: 'true' })).toThrow(/TEST_PAYMENTS/);
  });

  it('When production lacks Stripe keys, then start-up stops as before, and test payments cannot be asked for there', () => {
    const { STRIPE_SECRET_KEY: _key, STRIPE_WEBHOOK_SECRET: _hook, ...keyless } = production;
    expect(() => loadConfig(keyless)).toThrow(/Missing configuration in production: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET/);
    expect(() => loadConfig({ ...keyless, TEST_PAYMENTS: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, TEST_PAYMENTS: 'true' })).toThrow(/TEST_PAYMENTS=true is for development/);
    expect(loadConfig(production)).toMatchObject({ testPayments: false, checkout: { promotionCodes: false } });
  });

  it('When ADMIN_EMAILS is unset, then development has the local admin and production (and tests) none', () => {
    expect(loadConfig({}).adminEmails).toEqual([DEVELOPMENT_ADMIN_EMAIL]);
    expect(loadConfig({ ADMIN_EMAILS: '' }).adminEmails).toEqual([DEVELOPMENT_ADMIN_EMAIL]);
    expect(loadConfig({ ADMIN_EMAILS: 'boss@example.com' }).adminEmails).toEqual(['boss@example.com']);
    expect(loadConfig(production).adminEmails).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'test' }).adminEmails).toEqual([]);
  });

  it('When production has neither CONTACT_EMAIL nor ADMIN_EMAILS, then start-up refuses: a buyer sent to the contact page would find no address', () => {
    const { CONTACT_EMAIL: _contact, ...withoutContact } = production;
    expect(() => loadConfig(withoutContact)).toThrow('Missing configuration in production: CONTACT_EMAIL (or ADMIN_EMAILS');
    expect(loadConfig({ ...withoutContact, ADMIN_EMAILS: 'boss@example.com' }).contactEmail).toBe('boss@example.com');
    expect(loadConfig({ ...withoutContact, NODE_ENV: 'test' }).contactEmail).toBeUndefined();
  });

  it('When CONTACT_EMAIL is unset, then it is the first admin e-mail; a malformed one is refused, naming it', () => {
    expect(loadConfig({ ADMIN_EMAILS: 'boss@example.com,ed@example.com' }).contactEmail).toBe('boss@example.com');
    expect(loadConfig({ ADMIN_EMAILS: 'boss@example.com', CONTACT_EMAIL: 'Hello@Example.com' }).contactEmail).toBe('hello@example.com');
    expect(loadConfig({ NODE_ENV: 'test' }).contactEmail).toBeUndefined();
    expect(() => loadConfig({ CONTACT_EMAIL: 'not an address' })).toThrow(/CONTACT_EMAIL: must be an e-mail address/);
    // The first admin address is shown on the contact page in its place: it is held to the same check.
    expect(() => loadConfig({ ADMIN_EMAILS: 'Boss <boss@example.com>' })).toThrow(/ADMIN_EMAILS\.0: must be an e-mail address/);
    expect(() => loadConfig({ ADMIN_EMAILS: 'boss@example.com,ed at example' })).toThrow(/ADMIN_EMAILS\.1: must be an e-mail address/);
  });

  it('When PUBLISHER_NAME is set and MAIL_FROM is not, then the sender is named after the publisher (quoted); a name over two lines is refused', () => {
    expect(loadConfig({}).mailFrom).toBe('"The Rabbit Hole" <no-reply@localhost>');
    expect(loadConfig({ PUBLISHER_NAME: 'Petit Lapin Trading Ltd.' }).mailFrom).toBe('"Petit Lapin Trading Ltd." <no-reply@localhost>');
    expect(loadConfig({ PUBLISHER_NAME: 'The "Burrow"' }).mailFrom).toBe('"The \\"Burrow\\"" <no-reply@localhost>');
    expect(() => loadConfig({ PUBLISHER_NAME: 'Warren\nBcc: x@example.com' })).toThrow(/PUBLISHER_NAME: must be one line/);
  });

  it('When the site starts in development, then a "try it" block names the site, the inbox, the admin and test payments; in production nothing', () => {
    const block = tryItBlock(loadConfig({ PORT: '3111' }))!;
    expect(block).toContain('Site      http://localhost:3111');
    expect(block).toContain('http://localhost:3111/dev/mail');
    expect(block).toContain(`sign in as ${DEVELOPMENT_ADMIN_EMAIL}`);
    expect(block).toContain('test mode, no money moves');
    const configured = tryItBlock(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', SMTP_URL: 'smtp://mail.example.com' }))!;
    expect(configured).toContain('mail goes to SMTP_URL');
    expect(configured).toContain('Stripe (the keys in STRIPE_SECRET_KEY)');
    expect(tryItBlock(loadConfig(production))).toBeNull();
  });

  it('When the seller GST/HST and QST numbers are given with or without the space, then they are kept as "123456789 RT0001" and "1234567890 TQ0001"; the address is split on "\\n"', () => {
    const { seller } = loadConfig({
      SELLER_LEGAL_NAME: 'Rabbit Hole Research Inc.',
      SELLER_ADDRESS: '1 King St W\\nToronto ON  M5H 1A1\\nCanada',
      SELLER_GST_HST_NUMBER: '123456789rt0001',
      SELLER_QST_NUMBER: '1234567890 TQ0002',
    });
    expect(seller).toEqual({
      legalName: 'Rabbit Hole Research Inc.',
      address: ['1 King St W', 'Toronto ON  M5H 1A1', 'Canada'],
      gstHstNumber: '123456789 RT0001',
      qstNumber: '1234567890 TQ0002',
    });
  });

  it('When a seller number is malformed, then start-up refuses it, naming the variable', () => {
    for (const bad of ['12345678 RT0001', '123456789 RC0001', '123456789 RT001', '123456789RT0001X']) {
      expect(() => loadConfig({ SELLER_GST_HST_NUMBER: bad })).toThrow(/SELLER_GST_HST_NUMBER: must be a GST\/HST number/);
    }
    expect(() => loadConfig({ SELLER_QST_NUMBER: '123456789 TQ0001' })).toThrow(/SELLER_QST_NUMBER: must be a QST number/);
    expect(() => loadConfig({ SELLER_LEGAL_NAME: 'Rabbit\nHole' })).toThrow(/SELLER_LEGAL_NAME: must be one line/);
  });

  it('When production has STRIPE_AUTOMATIC_TAX on without the seller name, address and GST/HST number, then start-up stops naming each missing one', () => {
    const taxed = { ...production, STRIPE_AUTOMATIC_TAX: 'true' };
    expect(() => loadConfig(taxed)).toThrow(/STRIPE_AUTOMATIC_TAX: SELLER_LEGAL_NAME, SELLER_ADDRESS, SELLER_GST_HST_NUMBER/);
    expect(() => loadConfig({ ...taxed, SELLER_LEGAL_NAME: 'R Inc.', SELLER_ADDRESS: '1 King St W' })).toThrow(/STRIPE_AUTOMATIC_TAX: SELLER_GST_HST_NUMBER \(/);
    const complete = loadConfig({ ...taxed, SELLER_LEGAL_NAME: 'R Inc.', SELLER_ADDRESS: '1 King St W', SELLER_GST_HST_NUMBER: '123456789 RT0001' });
    expect(complete.seller).toMatchObject({ legalName: 'R Inc.', gstHstNumber: '123456789 RT0001' });
    // Without automatic tax they stay optional; outside production a demo seller stands in.
    expect(loadConfig(production).seller.gstHstNumber).toBe('');
    expect(loadConfig({}).seller.gstHstNumber).toBe('123456789 RT0001');
  });
});
