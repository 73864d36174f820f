import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.ts';

describe('Mail configuration', () => {
  it('When nothing is set, then mail goes to data/mail with 8 attempts from a 30 s base and default subjects', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ mailDir: 'data/mail', mailMaxAttempts: 8, mailRetryBaseMs: 30_000, mailSubjects: {} });
  });

  it('When MAIL_* variables are set, then they are parsed', () => {
    const config = loadConfig({
      MAIL_DIR: '/tmp/outbox',
      MAIL_MAX_ATTEMPTS: '3',
      MAIL_RETRY_BASE_SECONDS: '0.5',
      MAIL_SUBJECTS: '{"receipt":"Receipt: {{thesisTitle}}"}',
    });
    expect(config).toMatchObject({ mailDir: '/tmp/outbox', mailMaxAttempts: 3, mailRetryBaseMs: 500, mailSubjects: { receipt: 'Receipt: {{thesisTitle}}' } });
  });

  it('When a MAIL_* variable is malformed, then start-up stops naming it', () => {
    for (const [key, value] of [
      ['MAIL_MAX_ATTEMPTS', '0'],
      ['MAIL_RETRY_BASE_SECONDS', 'soon'],
      ['MAIL_SUBJECTS', 'not json'],
      ['MAIL_SUBJECTS', '["receipt"]'],
      ['MAIL_SUBJECTS', '{"receipt":"two\\nlines"}'],
    ]) {
      expect(() => loadConfig({ [key]: value }), `${key}=${value}`).toThrow(ConfigError);
      expect(() => loadConfig({ [key]: value })).toThrow(key);
    }
  });
});
