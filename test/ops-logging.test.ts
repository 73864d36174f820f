import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskEmails, redactUrl, runWithRequestId } from '../server/ops/logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('Logs', () => {
  it('When anything logs an e-mail address, in a field or an error message, then only its first letter and domain are written', () => {
    const { logger, lines } = capture();
    logger.warn({ recipient: 'jane.doe+news@example.co.uk', err: new Error('550 no mailbox for bob@mail.example.com') }, 'mail to jane@example.com failed');
    const line = lines.join('');
    expect(line).not.toMatch(/jane\.doe|bob@|jane@/);
    expect(line).toContain('j***@example.co.uk');
    expect(line).toContain('b***@mail.example.com');
  });

  it('When request headers or secrets are logged, then cookies, authorization, signatures and tokens are redacted', () => {
    const { logger, lines } = capture();
    logger.info({
      req: { headers: { cookie: 'warren_session=abc', authorization: 'Bearer xyz', 'stripe-signature': 't=1,v1=sig' } },
      link: { token: 'tok_secret' },
    });
    const line = lines.join('');
    for (const secret of ['warren_session=abc', 'Bearer xyz', 'v1=sig', 'tok_secret']) expect(line).not.toContain(secret);
  });

  it('When a line is written while serving a request, then it carries that request id', async () => {
    const { logger, lines } = capture();
    await runWithRequestId('req-42', async () => {
      await Promise.resolve();
      logger.info('inside');
    });
    logger.info('outside');
    expect(JSON.parse(lines[0]).reqId).toBe('req-42');
    expect(JSON.parse(lines[1]).reqId).toBeUndefined();
  });

  it('When URLs carry credentials, then their values are redacted and the rest kept', () => {
    expect(redactUrl('/login/verify?token=abc-123')).toBe('/login/verify?token=[redacted]');
    expect(redactUrl('/checkout/success?session_id=cs_test_1&x=1')).toBe('/checkout/success?session_id=[redacted]&x=1');
    expect(redactUrl('/theses/decode-singularity?ref=home')).toBe('/theses/decode-singularity?ref=home');
    expect(maskEmails('no address here')).toBe('no address here');
  });
});
