/**
 * Pure rules turning what Stripe told us about a payment into a purchase status and an
 * entitlement status. Events may come in any order; these depend only on the accumulated state.
 */
export interface PaymentFacts {
  refunded: boolean;
  /** null | open | won | lost */
  disputeStatus: string | null;
}

export type PurchaseStatus = 'paid' | 'disputed' | 'refunded' | 'dispute_lost';
export type EntitlementStatus = 'active' | 'suspended' | 'revoked';

/** How a payment event moved a purchase's entitlement: what the member is told about. */
export interface AccessChange {
  from: EntitlementStatus;
  to: EntitlementStatus;
}

export function purchaseStatusFor(payment: PaymentFacts | null): PurchaseStatus {
  if (!payment) return 'paid';
  if (payment.refunded) return 'refunded';
  if (payment.disputeStatus === 'lost') return 'dispute_lost';
  if (payment.disputeStatus === 'open') return 'disputed';
  return 'paid';
}

export function entitlementStatusFor(purchase: PurchaseStatus): EntitlementStatus {
  if (purchase === 'paid') return 'active';
  if (purchase === 'disputed') return 'suspended';
  return 'revoked';
}

/** Stripe dispute statuses, closed or not, mapped onto ours. `warning_closed` (an inquiry) is no loss. */
export function disputeStatusFor(stripeStatus: string): 'open' | 'won' | 'lost' {
  if (stripeStatus === 'lost') return 'lost';
  if (stripeStatus === 'won' || stripeStatus === 'warning_closed') return 'won';
  return 'open';
}

/** A dispute's later state never goes back to "open" because an older event arrived late. */
export function nextDisputeStatus(current: string | null, incoming: 'open' | 'won' | 'lost'): string {
  if (incoming === 'open' && (current === 'won' || current === 'lost')) return current;
  return incoming;
}
