import { describe, expect, it } from 'vitest';
import { disputeStatusFor, entitlementStatusFor, nextDisputeStatus, purchaseStatusFor } from '../server/access/standing.ts';
import { sessionMismatch, type CheckoutAttempt } from '../server/checkout/checkout-attempts.ts';
import type { CheckoutSessionFacts } from '../server/checkout/stripe-gateway.ts';
import { normaliseSignInCode } from '../server/accounts/sign-in-links.ts';
import { csvField } from '../server/admin/csv.ts';
import { accessNotice } from '../server/access/access-notices.ts';

describe('Purchase and entitlement standing', () => {
  it('When Stripe reports refunds and disputes, then the purchase and entitlement status follow, whatever came first', () => {
    expect(purchaseStatusFor(null)).toBe('paid');
    expect(purchaseStatusFor({ refunded: false, disputeStatus: null })).toBe('paid');
    expect(purchaseStatusFor({ refunded: false, disputeStatus: 'open' })).toBe('disputed');
    expect(purchaseStatusFor({ refunded: false, disputeStatus: 'won' })).toBe('paid');
    expect(purchaseStatusFor({ refunded: false, disputeStatus: 'lost' })).toBe('dispute_lost');
    expect(purchaseStatusFor({ refunded: true, disputeStatus: 'won' })).toBe('refunded');
    expect(entitlementStatusFor('paid')).toBe('active');
    expect(entitlementStatusFor('disputed')).toBe('suspended');
    expect(entitlementStatusFor('refunded')).toBe('revoked');
    expect(entitlementStatusFor('dispute_lost')).toBe('revoked');
  });

  it('When dispute events arrive late, then a closed dispute never reopens', () => {
    expect(disputeStatusFor('needs_response')).toBe('open');
    expect(disputeStatusFor('warning_closed')).toBe('won');
    expect(nextDisputeStatus(null, 'open')).toBe('open');
    expect(nextDisputeStatus('lost', 'open')).toBe('lost');
    expect(nextDisputeStatus('won', 'open')).toBe('won');
    expect(nextDisputeStatus('open', 'lost')).toBe('lost');
  });
});

describe("The member's notice for a change of access", () => {
  const target = { purchaseId: 'p1', purchaseStatus: 'paid' as const, recipient: 'm@example.com', thesis: { title: 'T', slug: 't' } };
  const now = new Date('2026-11-26T12:00:00Z');
  const templateOf = (from: 'active' | 'suspended' | 'revoked', to: 'active' | 'suspended' | 'revoked', purchaseStatus = target.purchaseStatus as string) =>
    accessNotice({ from, to }, { ...target, purchaseStatus: purchaseStatus as 'paid' }, now);

  it('When access moves, then the notice follows the move, keyed on the purchase and the outcome; no move, no notice', () => {
    expect(templateOf('active', 'suspended')).toMatchObject({ template: 'access-paused', dedupeKey: 'access-paused:p1' });
    expect(templateOf('suspended', 'active')).toMatchObject({ template: 'access-restored', dedupeKey: 'access-restored:p1' });
    expect(templateOf('suspended', 'revoked', 'dispute_lost')).toMatchObject({ template: 'access-revoked', dedupeKey: 'access-revoked:p1', data: { reason: 'dispute' } });
    expect(templateOf('active', 'revoked', 'refunded')).toMatchObject({ template: 'access-revoked', data: { reason: 'refund', effectiveOn: '2026-11-26' } });
    expect(templateOf('active', 'active')).toBeNull();
    expect(templateOf('revoked', 'revoked', 'refunded')).toBeNull();
    expect(accessNotice(null, target, now)).toBeNull();
  });
});

describe('Checking a session against what the server created', () => {
  const attempt = { mode: 'payment', thesisId: 't1', amount: 7500, currency: 'cad', livemode: false } as CheckoutAttempt;
  const facts: CheckoutSessionFacts = {
    id: 'cs_1', mode: 'payment', status: 'complete', paymentStatus: 'paid', amountSubtotal: 7500, amountTotal: 8475, amountDiscount: 0, promotionCode: null, amountTax: 975, currency: 'cad',
    taxLines: null, buyerName: null, buyerTaxId: null, invoiceId: null,
    livemode: false, email: 'a@b.co', thesisId: 't1', offerId: null, clientReferenceId: 'x', paymentIntentId: 'pi_1', created: 0,
  };
  it('When everything matches (tax on top is fine), then no mismatch; any difference is named', () => {
    expect(sessionMismatch(facts, attempt)).toBeNull();
    expect(sessionMismatch(facts, null)).toContain('did not create');
    expect(sessionMismatch({ ...facts, amountSubtotal: 100 }, attempt)).toContain('amount 100');
    expect(sessionMismatch({ ...facts, currency: 'usd' }, attempt)).toContain('currency usd');
    expect(sessionMismatch({ ...facts, mode: 'subscription' }, attempt)).toContain('mode');
    expect(sessionMismatch({ ...facts, livemode: true }, attempt)).toContain('livemode');
    expect(sessionMismatch({ ...facts, thesisId: 't2' }, attempt)).toContain('thesis t2');
  });
});

describe('One-time codes and CSV cells', () => {
  it('When a code is typed with spaces, dashes or lower case, then it is read; junk is not', () => {
    expect(normaliseSignInCode('abcd-efgh')).toBe('ABCDEFGH');
    expect(normaliseSignInCode(' ABCD EFGH ')).toBe('ABCDEFGH');
    for (const bad of ['ABCD-EFG', 'ABCD-EFG0', ['ABCDEFGH'], { code: 'ABCDEFGH' }, null, 'A'.repeat(40)]) expect(normaliseSignInCode(bad)).toBeNull();
  });

  it('When a cell starts like a formula or holds quotes, then it is defused and escaped', () => {
    expect(csvField('=SUM(A1)')).toBe(`"'=SUM(A1)"`);
    expect(csvField('-1')).toBe(`"'-1"`);
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('""');
  });
});
