/** The Stripe objects the local API keeps, in Stripe's own shape (the fields Warren reads). */
export interface LocalCheckoutSession {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  success_url: string;
  cancel_url: string;
  url: string;
  customer_email: string | null;
  customer_details: { email: string } | null;
  payment_intent: string | null;
  allow_promotion_codes: boolean;
  livemode: boolean;
  created: number;
  /** Set when a promotion code applied (payWithFullDiscount). */
  total_details?: { amount_discount: number; amount_shipping: number; amount_tax: number };
  discounts?: { coupon: string; promotion_code: string | null }[];
}

export interface LocalEvent {
  id: string;
  object: 'event';
  type: string;
  api_version: string;
  created: number;
  livemode: boolean;
  data: { object: unknown };
}

/** A refund made through POST /v1/refunds or the test payments page. */
export interface LocalRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  charge: string;
  reason: string | null;
  metadata: Record<string, string>;
  status: 'succeeded';
  created: number;
}
