/**
 * What the member's page shows of each purchase's refunds. The payments feature (checkout/, above
 * admin) owns refunds and supplies this (checkout/admin-refunds.routes.ts); app.ts passes it in.
 */
export type PurchaseRefundsView = (
  purchases: readonly { id: string; amount: number; currency: string; status: string; paymentIntentId: string | null }[],
) => Promise<Map<string, PurchaseRefunds>>;

export interface PurchaseRefunds {
  lines: {
    id: string;
    price: string;
    reasonLabel: string;
    note: string;
    requestedBy: string;
    status: string;
    pending: boolean;
    error: string | null;
    stripeRefundId: string | null;
    createdAt: Date;
  }[];
  /** Whether the admin may refund (more of) it. */
  refundable: boolean;
  /** What is left to refund, formatted, and as the amount field writes it. */
  remaining: string;
  remainingField: string;
}

/** Without payments: no purchase shows refunds. */
export const noRefunds: PurchaseRefundsView = async () => new Map();
