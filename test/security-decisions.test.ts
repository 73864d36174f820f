import { describe, expect, it } from 'vitest';
import { mayReadMembersLayer } from '../server/access/access.ts';
import { safeNextPath } from '../server/accounts/next-path.ts';
import { normaliseEmail } from '../server/accounts/email-address.ts';
import { createSessionTokens } from '../server/accounts/session-token.ts';
import { formatPrice } from '../server/http/money.ts';
import { renderMarkdown } from '../server/catalog/markdown.ts';
import { successSignInFor, type SuccessPageVisit } from '../server/checkout/success-sign-in.ts';

describe('The paywall decision', () => {
  const viewer = { userId: 'u1', sessionId: 's1', sessionVersion: 0 };
  it('When the viewer holds an active entitlement to this thesis, then they may read; otherwise not', () => {
    expect(mayReadMembersLayer(viewer, { thesisId: 't1', status: 'active' }, 't1')).toBe(true);
    expect(mayReadMembersLayer(viewer, { thesisId: 't2', status: 'active' }, 't1')).toBe(false);
    expect(mayReadMembersLayer(viewer, null, 't1')).toBe(false);
    expect(mayReadMembersLayer(null, { thesisId: 't1', status: 'active' }, 't1')).toBe(false);
  });

  it('When the entitlement is suspended (dispute open) or revoked, then they may not read', () => {
    expect(mayReadMembersLayer(viewer, { thesisId: 't1', status: 'suspended' }, 't1')).toBe(false);
    expect(mayReadMembersLayer(viewer, { thesisId: 't1', status: 'revoked' }, 't1')).toBe(false);
  });

  it('When the session is an unverified one for another thesis, then it may not read, whatever the account holds', () => {
    const unverified = { ...viewer, unverifiedFor: 't1' };
    expect(mayReadMembersLayer(unverified, { thesisId: 't1', status: 'active' }, 't1')).toBe(true);
    expect(mayReadMembersLayer(unverified, { thesisId: 't2', status: 'active' }, 't2')).toBe(false);
  });
});

describe('Who the checkout success page signs in', () => {
  const newBuyer = { id: 'u1', email: 'new@example.com', role: 'member', emailVerifiedAt: null, createdByCheckoutSessionId: 'cs_1' };
  const signedIn = (userId: string, unverifiedFor?: string) => ({ userId, sessionId: 's1', sessionVersion: 0, expiresAt: 0, ...(unverifiedFor && { unverifiedFor }) });
  const visit: SuccessPageVisit = { viewer: null, buyer: newBuyer, checkoutSessionId: 'cs_1', thesisId: 't1', startedInThisBrowser: true, adminEmails: [] };

  it('When the browser that paid returns for an account this purchase created, then it may be signed in', () => {
    expect(successSignInFor(visit)).toBe('may-sign-in');
  });

  it('When the browser did not start the checkout (a forwarded URL), then it is sent to the inbox', () => {
    expect(successSignInFor({ ...visit, startedInThisBrowser: false })).toBe('check-inbox');
  });

  it('When the account existed before, was proven already or belongs to an admin, then it is sent to the inbox', () => {
    expect(successSignInFor({ ...visit, buyer: { ...newBuyer, createdByCheckoutSessionId: 'cs_0' } })).toBe('check-inbox');
    expect(successSignInFor({ ...visit, buyer: { ...newBuyer, createdByCheckoutSessionId: null } })).toBe('check-inbox');
    expect(successSignInFor({ ...visit, buyer: { ...newBuyer, emailVerifiedAt: new Date(0) } })).toBe('check-inbox');
    expect(successSignInFor({ ...visit, buyer: { ...newBuyer, role: 'admin' } })).toBe('check-inbox');
    expect(successSignInFor({ ...visit, adminEmails: ['new@example.com'] })).toBe('check-inbox');
  });

  it('When the browser holds a session, then it is never replaced: the buyer is signed in already, anyone else is told', () => {
    expect(successSignInFor({ ...visit, viewer: signedIn('u1') })).toBe('signed-in');
    expect(successSignInFor({ ...visit, viewer: signedIn('u2') })).toBe('other-account');
    expect(successSignInFor({ ...visit, viewer: signedIn('u1', 't0') })).toBe('check-inbox');
  });
});

describe('Redirect targets after sign-in', () => {
  it('When next is a local path, then it is kept; anything else becomes /', () => {
    expect(safeNextPath('/theses/x?y=1#members-layer')).toBe('/theses/x?y=1#members-layer');
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', ['/a'], { a: 1 }, '/a\nb', undefined]) {
      expect(safeNextPath(bad)).toBe('/');
    }
  });
});

describe('E-mail addresses', () => {
  it('When an address is typed with spaces and capitals, then it is normalised; junk is refused', () => {
    expect(normaliseEmail('  Reader@Example.COM ')).toBe('reader@example.com');
    for (const bad of ['', 'no-at-sign', 'a@b', 'x@y.z\r\nBcc: v@w.x', ['a@b.c'], { email: 'a@b.c' }, null, `${'a'.repeat(250)}@b.co`]) {
      expect(normaliseEmail(bad)).toBeNull();
    }
  });
});

describe('Session tokens', () => {
  const now = new Date('2026-11-26T00:00:00Z');
  const tokens = createSessionTokens('s'.repeat(32), () => now);
  const inDays = (days: number) => now.getTime() / 1000 + days * 24 * 3600;
  it('When a token is ours and fresh, then it verifies; expired, foreign or altered tokens do not', () => {
    const { token, viewer } = tokens.issue({ userId: 'u1', sessionId: 's1', sessionVersion: 3 }, inDays(30));
    expect(viewer).toEqual({ userId: 'u1', sessionId: 's1', sessionVersion: 3, expiresAt: inDays(30) });
    expect(tokens.verify(token)).toEqual(viewer);
    const later = createSessionTokens('s'.repeat(32), () => new Date(now.getTime() + 31 * 24 * 3600 * 1000));
    expect(later.verify(token)).toBeNull();
    expect(createSessionTokens('t'.repeat(32), () => now).verify(token)).toBeNull();
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'admin', sid: 's1', sv: 0, iss: 'warren', aud: 'warren:session', exp: 9e9 })).toString('base64url');
    expect(tokens.verify(`${header}.${payload}.${signature}`)).toBeNull();
  });

  it('When a token is for an unverified session, then it keeps its one thesis and expires with it', () => {
    const { token } = tokens.issue({ userId: 'u1', sessionId: 's1', sessionVersion: 0, unverifiedFor: 't1' }, inDays(1));
    expect(tokens.verify(token)).toEqual({ userId: 'u1', sessionId: 's1', sessionVersion: 0, unverifiedFor: 't1', expiresAt: inDays(1) });
    const nextDay = createSessionTokens('s'.repeat(32), () => new Date(now.getTime() + 24 * 3600 * 1000 + 1000));
    expect(nextDay.verify(token)).toBeNull();
  });

  it('When a token names no server-side session (issued before sessions were recorded), then it does not verify', () => {
    const fresh = createSessionTokens('s'.repeat(32), () => now);
    const withSid = tokens.issue({ userId: 'u1', sessionId: 's1', sessionVersion: 0 }, inDays(30)).token;
    const withoutSid = tokens.issue({ userId: 'u1', sessionVersion: 0 } as never, inDays(30)).token;
    expect(fresh.verify(withSid)).not.toBeNull();
    expect(fresh.verify(withoutSid)).toBeNull();
  });

  it('When a token that verified before expires, then the same instance refuses it from then on', () => {
    let clock = now;
    const remembering = createSessionTokens('s'.repeat(32), () => clock);
    const { token, viewer } = remembering.issue({ userId: 'u2', sessionId: 's2', sessionVersion: 0 }, inDays(30));
    expect(remembering.verify(token)).toEqual(viewer);
    expect(remembering.verify(token)).toEqual(viewer); // remembered
    clock = new Date(now.getTime() + 30 * 24 * 3600 * 1000); // exactly its expiry
    expect(remembering.verify(token)).toBeNull();
    clock = now;
    expect(remembering.verify(token)).toEqual(viewer); // forgotten, checked again
  });
});

describe('Prices and Markdown', () => {
  it('When a price is shown, then it reads like "$75 CAD" in en-CA', () => {
    expect(formatPrice(7500, 'cad')).toBe('$75 CAD');
    expect(formatPrice(7550, 'cad')).toBe('$75.50 CAD');
  });

  it('When Markdown carries script, handlers or javascript: links, then they are removed and links get rel', () => {
    const html = renderMarkdown('[x](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=alert(1)> <iframe src="https://e.x"></iframe> [ok](https://example.com)');
    expect(html).not.toMatch(/<script|onerror|javascript:|<iframe/i);
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer">ok</a>');
  });
});
