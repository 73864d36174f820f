import Stripe from 'stripe';
import type { Clock } from '../clock.ts';
import type { StripeConfig } from '../config.ts';

/** What Warren needs to know of a Checkout Session, from the API or from a webhook event. */
export interface CheckoutSessionFacts {
  id: string;
  mode: string;
  status: string | null;
  paymentStatus: string;
  /** Before discounts and tax: what the thesis costs. */
  amountSubtotal: number | null;
  /** What the buyer paid (after promotion codes, with tax): 0 when a code took the whole price. */
  amountTotal: number | null;
  /** What promotion codes took off (total_details.amount_discount). */
  amountDiscount: number;
  /** The promotion code the buyer entered (promo_…), if any. */
  promotionCode: string | null;
  /** The sales tax Stripe charged (total_details.amount_tax), part of amountTotal; 0 without Stripe Tax. */
  amountTax: number;
  /**
   * Each tax Stripe charged (total_details.breakdown.taxes, present only when expanded: never in a
   * webhook's payload). [] when no tax was charged; null when tax was charged but not broken down here.
   */
  taxLines: TaxLineFacts[] | null;
  /** The buyer's name and first business tax ID, as entered on Checkout (customer_details). */
  buyerName: string | null;
  buyerTaxId: { type: string; value: string } | null;
  /** The invoice Checkout created (invoice_creation), in_… */
  invoiceId: string | null;
  currency: string | null;
  livemode: boolean;
  email: string | null;
  thesisId: string | null;
  /** Our offer (metadata.offerId) when this server put an offer's promotion code on the session. */
  offerId: string | null;
  clientReferenceId: string | null;
  paymentIntentId: string | null;
  created: number;
}

/** One tax of a session's breakdown (a TaxRate Stripe Tax applied, and how much it took). */
export interface TaxLineFacts {
  /** GST, HST, QST, PST… */
  displayName: string;
  /** As Stripe gives it, e.g. "9.975" (a JSON number, kept as its decimal text: no rounding, no float arithmetic). */
  percentage: string;
  jurisdiction: string | null;
  country: string | null;
  state: string | null;
  inclusive: boolean;
  taxabilityReason: string | null;
  amount: number;
}

/** A charge's refund state, from `charge.refunded`. */
export interface ChargeFacts {
  chargeId: string;
  paymentIntentId: string | null;
  /** Only a full refund takes access away; a partial one (a goodwill discount) does not. */
  fullyRefunded: boolean;
  /** The charge's succeeded refunds when the event lists them (`charge.refunds`): each gets a credit note. */
  refunds?: readonly { id: string; amount: number }[];
}

/** One refund, from `refund.created` / `refund.updated`: a succeeded one gets a credit note. */
export interface RefundFacts {
  refundId: string;
  paymentIntentId: string | null;
  amount: number;
  succeeded: boolean;
}

/** A dispute's state, from `charge.dispute.*`. */
export interface DisputeFacts {
  chargeId: string;
  paymentIntentId: string | null;
  status: string;
}

export interface NewCheckoutSession {
  thesisId: string;
  title: string;
  amount: number;
  currency: string;
  successUrl: string;
  cancelUrl: string;
  /** Same key, same session: a double-submitted form cannot open two checkouts. */
  idempotencyKey: string;
  clientReferenceId: string;
  customerEmail?: string;
  automaticTax: boolean;
  /** Stripe's tax_behavior of the price (sent with Stripe Tax on): tax added to it, or part of it. */
  taxBehavior: TaxBehavior;
  allowPromotionCodes: boolean;
  /** Lets the buyer enter a business tax ID on Checkout (STRIPE_TAX_ID_COLLECTION). */
  taxIdCollection: boolean;
  /** Has Checkout create a Stripe invoice for the payment (STRIPE_INVOICES). */
  invoiceCreation: boolean;
  /** An offer's promotion code applied up front (`discounts`); Stripe then forbids allow_promotion_codes. */
  offer?: { id: string; promotionCodeId: string };
}

export const TAX_BEHAVIORS = ['exclusive', 'inclusive'] as const;
export type TaxBehavior = (typeof TAX_BEHAVIORS)[number];

/** Where Stripe shows and keeps an invoice. */
export interface InvoiceLinks {
  hostedInvoiceUrl: string | null;
  invoicePdf: string | null;
}

/** An admin's offer, made in Stripe as a coupon (duration once) and a promotion code carrying its code. */
export interface NewOfferDiscount {
  offerId: string;
  code: string;
  /** Exactly one of percentOff (1-100) and amountOff (minor units of `currency`). */
  percentOff: number | null;
  amountOff: number | null;
  currency: string;
  expiresAt: Date | null;
  maxRedemptions: number | null;
}

/** Stripe's reasons for a refund, the only ones its API accepts. */
export const REFUND_REASONS = ['requested_by_customer', 'duplicate', 'fraudulent'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

export interface NewRefund {
  paymentIntentId: string;
  /** Minor units; at most what is left unrefunded on the charge (Stripe refuses more). */
  amount: number;
  reason: RefundReason;
  /** Same key, same refund: a resubmitted form or a retry cannot refund twice. */
  idempotencyKey: string;
  metadata: Record<string, string>;
}

/** What Stripe answered a refund with, and what the charge looks like after it. */
export interface RefundOutcome {
  refundId: string;
  /** succeeded | pending | requires_action | failed | canceled */
  status: string;
  chargeId: string | null;
  /** Whether the charge is now refunded in full (Stripe's `charge.refunded`), null when Stripe did not say. */
  chargeFullyRefunded: boolean | null;
}

/**
 * Stripe answered a refund with a definite no (a 4xx: the amount, the charge's state, a card error):
 * nothing was refunded. Anything else (no answer, a 5xx after the SDK's retries) leaves it unknown.
 */
export class StripeRefusal extends Error {}

export interface StripeGateway {
  /** Whether the key moves real money (sk_live_/rk_live_): events of the other mode are refused. */
  readonly livemode: boolean;
  createCheckoutSession(request: NewCheckoutSession): Promise<{ id: string; url: string; livemode: boolean; mode: string }>;
  /** With its tax breakdown (taxLines is never null). */
  retrieveCheckoutSession(id: string): Promise<CheckoutSessionFacts>;
  /**
   * A session's taxes by rate (total_details.breakdown.taxes), asked once and briefly (a webhook
   * waits on it): throws when Stripe does not answer in time. [] when no tax was charged.
   */
  retrieveTaxBreakdown(sessionId: string): Promise<Stripe.Checkout.Session.TotalDetails.Breakdown.Tax[]>;
  /** Stripe's hosted page and PDF of an invoice. */
  retrieveInvoiceLinks(invoiceId: string): Promise<InvoiceLinks>;
  /** Checkout Sessions created since a time, newest first (for reconciliation). */
  listCheckoutSessions(createdSince: Date): Promise<CheckoutSessionFacts[]>;
  /** Events of the given types created since a time, oldest first (for reconciliation). */
  listEvents(createdSince: Date, types: string[]): Promise<Stripe.Event[]>;
  /**
   * Refunds a payment in full. The same idempotency key gives the same refund (two instances, a retry);
   * a payment already refunded counts as done (returns null: the key expired, the refund exists).
   */
  refundPayment(paymentIntentId: string, idempotencyKey: string): Promise<{ refundId: string | null }>;
  /** Refunds part or all of a payment (an admin's refund), with the charge expanded to tell whether it is now refunded in full. Throws Stripe's error. */
  createRefund(request: NewRefund): Promise<RefundOutcome>;
  /**
   * The refund made for an admin's refund (found by `metadata.adminRefundId` among the payment's
   * refunds), or null. Asked before a retry: Stripe forgets an idempotency key after 24 hours, and the
   * same key then makes a second refund.
   */
  findAdminRefund(paymentIntentId: string, adminRefundId: string): Promise<RefundOutcome | null>;
  /**
   * Makes an offer's coupon and promotion code, each with an idempotency key derived from the offer's
   * id: a retry after a failure or a lost answer makes no second one (within Stripe's 24 hours).
   */
  createOfferDiscount(request: NewOfferDiscount): Promise<{ couponId: string; promotionCodeId: string }>;
  /** Ends a promotion code (active: false); ending an ended one is harmless. */
  deactivatePromotionCode(promotionCodeId: string): Promise<void>;
  /** Verifies the signature (and its timestamp) over the raw body; throws when it does not hold. */
  parseWebhookEvent(rawBody: Buffer, signature: string | undefined): Stripe.Event;
}

/** Not in a session unless expanded: the taxes Stripe charged, by rate. */
const TAX_BREAKDOWN = 'total_details.breakdown';

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === 'string' ? value : (value?.id ?? null));

export function taxLineFacts(taxes: readonly Stripe.Checkout.Session.TotalDetails.Breakdown.Tax[]): TaxLineFacts[] {
  return taxes.map((tax) => ({
    displayName: tax.rate.display_name,
    percentage: String(tax.rate.percentage),
    jurisdiction: tax.rate.jurisdiction ?? null,
    country: tax.rate.country ?? null,
    state: tax.rate.state ?? null,
    inclusive: tax.rate.inclusive,
    taxabilityReason: tax.taxability_reason ?? null,
    amount: tax.amount,
  }));
}

function sessionTaxLines(session: Stripe.Checkout.Session): TaxLineFacts[] | null {
  const taxes = session.total_details?.breakdown?.taxes;
  if (taxes) return taxLineFacts(taxes);
  return (session.total_details?.amount_tax ?? 0) > 0 ? null : [];
}

export function checkoutSessionFacts(session: Stripe.Checkout.Session): CheckoutSessionFacts {
  const taxId = session.customer_details?.tax_ids?.find((id) => id.value);
  return {
    id: session.id,
    mode: session.mode,
    status: session.status,
    paymentStatus: session.payment_status,
    amountSubtotal: session.amount_subtotal,
    amountTotal: session.amount_total,
    amountDiscount: session.total_details?.amount_discount ?? 0,
    promotionCode: session.discounts?.map((discount) => idOf(discount.promotion_code)).find(Boolean) ?? null,
    amountTax: session.total_details?.amount_tax ?? 0,
    taxLines: sessionTaxLines(session),
    buyerName: session.customer_details?.name ?? null,
    buyerTaxId: taxId ? { type: taxId.type, value: taxId.value! } : null,
    invoiceId: idOf(session.invoice),
    currency: session.currency,
    livemode: session.livemode,
    email: session.customer_details?.email ?? session.customer_email ?? null,
    thesisId: session.metadata?.thesisId ?? null,
    offerId: session.metadata?.offerId ?? null,
    clientReferenceId: session.client_reference_id,
    paymentIntentId: idOf(session.payment_intent),
    created: session.created,
  };
}

export function chargeFacts(charge: Stripe.Charge): ChargeFacts {
  // Stripe lists the newest first: credit notes are numbered oldest first.
  const refunds = charge.refunds?.data
    .filter((refund) => refund.status === 'succeeded')
    .reverse()
    .sort((a, b) => a.created - b.created)
    .map((refund) => ({ id: refund.id, amount: refund.amount }));
  return { chargeId: charge.id, paymentIntentId: idOf(charge.payment_intent), fullyRefunded: charge.refunded === true, ...(refunds && { refunds }) };
}

export function refundFacts(refund: Stripe.Refund): RefundFacts {
  return { refundId: refund.id, paymentIntentId: idOf(refund.payment_intent), amount: refund.amount, succeeded: refund.status === 'succeeded' };
}

export function disputeFacts(dispute: Stripe.Dispute): DisputeFacts {
  return { chargeId: idOf(dispute.charge)!, paymentIntentId: idOf(dispute.payment_intent), status: dispute.status };
}

/**
 * Where the checkout form's 303 takes the browser: Stripe Checkout, and with STRIPE_API_BASE a local
 * fake's hosted page. The CSP's form-action must allow them (app.ts).
 */
export function checkoutPageOrigins(config: StripeConfig | undefined): string[] {
  return ['https://checkout.stripe.com', ...(config?.apiBase ? [new URL(config.apiBase).origin] : [])];
}

export const isLiveKey = (secretKey: string) => /^(sk|rk)_live_/.test(secretKey);

/** The only site module that imports 'stripe' (test payments sign their events with its helper). STRIPE_API_BASE points the real SDK at a local fake in tests. */
export function createStripeGateway(config: StripeConfig, clock: Clock): StripeGateway {
  const base = config.apiBase ? new URL(config.apiBase) : undefined;
  const stripe = new Stripe(config.secretKey, {
    maxNetworkRetries: 2,
    ...(base && {
      host: base.hostname,
      port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
      protocol: base.protocol.replace(':', '') as 'http' | 'https',
    }),
  });
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

  return {
    livemode: isLiveKey(config.secretKey),
    async createCheckoutSession(request) {
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.currency,
                unit_amount: request.amount,
                product_data: { name: request.title },
                ...(request.automaticTax && { tax_behavior: request.taxBehavior }),
              },
            },
          ],
          metadata: { thesisId: request.thesisId, ...(request.offer && { offerId: request.offer.id }) },
          client_reference_id: request.clientReferenceId,
          ...(request.customerEmail && { customer_email: request.customerEmail }),
          // Canadian sales tax (GST/HST/PST) depends on the buyer's province: Stripe collects the address.
          billing_address_collection: 'required',
          automatic_tax: { enabled: request.automaticTax },
          // Stripe refuses allow_promotion_codes together with discounts: an offer's code is the only one.
          ...(request.offer
            ? { discounts: [{ promotion_code: request.offer.promotionCodeId }] }
            : { allow_promotion_codes: request.allowPromotionCodes || undefined }),
          ...(request.taxIdCollection && { tax_id_collection: { enabled: true } }),
          ...(request.invoiceCreation && { invoice_creation: { enabled: true } }),
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
        },
        { idempotencyKey: request.idempotencyKey },
      ).catch((error: unknown) => {
        // Stripe refusing an offer's promotion code (ended, expired or used up there first) is an answer, not an outage.
        if (request.offer && error instanceof Stripe.errors.StripeInvalidRequestError) throw new StripeRefusal(error.message);
        throw error;
      });
      if (!session.url) throw new Error(`Checkout Session ${session.id} has no URL`);
      return { id: session.id, url: session.url, livemode: session.livemode, mode: session.mode };
    },
    async retrieveCheckoutSession(id) {
      return checkoutSessionFacts(await stripe.checkout.sessions.retrieve(id, { expand: [TAX_BREAKDOWN] }));
    },
    async retrieveTaxBreakdown(sessionId) {
      const session = await stripe.checkout.sessions.retrieve(sessionId, { expand: [TAX_BREAKDOWN] }, { timeout: 5000, maxNetworkRetries: 0 });
      return session.total_details?.breakdown?.taxes ?? [];
    },
    async retrieveInvoiceLinks(invoiceId) {
      const invoice = await stripe.invoices.retrieve(invoiceId);
      return { hostedInvoiceUrl: invoice.hosted_invoice_url ?? null, invoicePdf: invoice.invoice_pdf ?? null };
    },
    async listCheckoutSessions(createdSince) {
      const sessions: CheckoutSessionFacts[] = [];
      const list = stripe.checkout.sessions.list({ created: { gte: seconds(createdSince) }, limit: 100, expand: [`data.${TAX_BREAKDOWN}`] });
      for await (const session of list) {
        sessions.push(checkoutSessionFacts(session));
      }
      return sessions;
    },
    async listEvents(createdSince, types) {
      const events: Stripe.Event[] = [];
      for await (const event of stripe.events.list({ created: { gte: seconds(createdSince) }, types, limit: 100 })) events.push(event);
      return events.reverse();
    },
    async refundPayment(paymentIntentId, idempotencyKey) {
      try {
        const refund = await stripe.refunds.create({ payment_intent: paymentIntentId, reason: 'duplicate' }, { idempotencyKey });
        return { refundId: refund.id };
      } catch (error) {
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'charge_already_refunded') return { refundId: null };
        throw error;
      }
    },
    async createRefund(request) {
      const refund = await stripe.refunds
        .create(
          { payment_intent: request.paymentIntentId, amount: request.amount, reason: request.reason, metadata: request.metadata, expand: ['charge'] },
          { idempotencyKey: request.idempotencyKey },
        )
        .catch((error: unknown) => {
          // 409 (the same key in flight) and 429 (rate limit) say nothing about the refund itself.
          const status = error instanceof Stripe.errors.StripeError ? (error.statusCode ?? 0) : 0;
          if (status >= 400 && status < 500 && status !== 409 && status !== 429) throw new StripeRefusal((error as Error).message);
          throw error;
        });
      const charge = typeof refund.charge === 'object' ? refund.charge : null;
      return { refundId: refund.id, status: refund.status ?? 'succeeded', chargeId: idOf(refund.charge), chargeFullyRefunded: charge ? charge.refunded === true : null };
    },
    async findAdminRefund(paymentIntentId, adminRefundId) {
      for await (const refund of stripe.refunds.list({ payment_intent: paymentIntentId, limit: 100, expand: ['data.charge'] })) {
        if (refund.metadata?.adminRefundId !== adminRefundId || idOf(refund.payment_intent) !== paymentIntentId) continue;
        const charge = typeof refund.charge === 'object' ? refund.charge : null;
        return { refundId: refund.id, status: refund.status ?? 'succeeded', chargeId: idOf(refund.charge), chargeFullyRefunded: charge ? charge.refunded === true : null };
      }
      return null;
    },
    async createOfferDiscount(request) {
      const coupon = await stripe.coupons.create(
        {
          duration: 'once',
          name: `Offer ${request.code}`,
          ...(request.percentOff !== null ? { percent_off: request.percentOff } : { amount_off: request.amountOff!, currency: request.currency }),
          metadata: { offerId: request.offerId },
        },
        { idempotencyKey: `offer-coupon:${request.offerId}` },
      );
      const promotionCode = await stripe.promotionCodes.create(
        {
          promotion: { type: 'coupon', coupon: coupon.id },
          code: request.code,
          ...(request.maxRedemptions !== null && { max_redemptions: request.maxRedemptions }),
          ...(request.expiresAt && { expires_at: seconds(request.expiresAt) }),
          metadata: { offerId: request.offerId },
        },
        { idempotencyKey: `offer-promotion-code:${request.offerId}` },
      );
      return { couponId: coupon.id, promotionCodeId: promotionCode.id };
    },
    async deactivatePromotionCode(promotionCodeId) {
      await stripe.promotionCodes.update(promotionCodeId, { active: false });
    },
    parseWebhookEvent(rawBody, signature) {
      if (!signature) throw new Error('missing Stripe-Signature header');
      // The signature's age is measured on our clock, not the SDK's reading of the system time.
      return stripe.webhooks.constructEvent(rawBody, signature, config.webhookSecret, undefined, undefined, clock.now().getTime());
    },
  };
}
