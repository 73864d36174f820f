import type { AccessChange, PurchaseStatus } from './standing.ts';
import type { OutgoingMail } from '../mail/outbox.ts';

export interface NoticeTarget {
  purchaseId: string;
  purchaseStatus: PurchaseStatus;
  recipient: string;
  thesis: { title: string; slug: string };
}

const day = (now: Date) => now.toISOString().slice(0, 10);

/**
 * The member's notice for a change of access caused by their payment: revoked (full refund, lost
 * dispute), paused (dispute opened) or restored (dispute won). Decided from the entitlement's states
 * before and after, never from the event's type, so a "won" that overtakes its "created" (no change)
 * sends nothing. Keyed on the purchase and the outcome: replays and reorderings queue each once.
 */
export function accessNotice(change: AccessChange | null, target: NoticeTarget, now: Date): OutgoingMail | null {
  if (!change || change.from === change.to) return null;
  const { purchaseId, recipient, thesis } = target;
  if (change.to === 'revoked') {
    const reason = target.purchaseStatus === 'refunded' ? 'refund' : 'dispute';
    return { dedupeKey: `access-revoked:${purchaseId}`, template: 'access-revoked', recipient, data: { thesisTitle: thesis.title, reason, effectiveOn: day(now) } };
  }
  if (change.to === 'suspended') {
    return { dedupeKey: `access-paused:${purchaseId}`, template: 'access-paused', recipient, data: { thesisTitle: thesis.title, effectiveOn: day(now) } };
  }
  if (change.from === 'suspended') {
    const data = { thesisTitle: thesis.title, thesisSlug: thesis.slug, effectiveOn: day(now) };
    return { dedupeKey: `access-restored:${purchaseId}`, template: 'access-restored', recipient, data };
  }
  return null;
}

/** An admin's revoke: one notice per revoked entitlement version (a double-submitted form sends one). */
export function adminRevokeNotice(entitlementId: string, revokedVersion: Date, recipient: string, thesisTitle: string, now: Date): OutgoingMail {
  return {
    dedupeKey: `access-revoked:admin:${entitlementId}:${revokedVersion.toISOString()}`,
    template: 'access-revoked',
    recipient,
    data: { thesisTitle, reason: 'admin', effectiveOn: day(now) },
  };
}
