import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.ts';

const production = {
  NODE_ENV: 'production',
  APP_URL: 'https://research.example.com/',
  JWT_SECRET: 'x'.repeat(40),
  STRIPE_SECRET_KEY: 'sk_live_abc',
  STRIPE_WEBHOOK_SECRET: 'whsec_abc',
  SMTP_URL: 'smtp://mail.example.com:587',
  MAIL_FROM: 'Research <r@example.com>',
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
});
