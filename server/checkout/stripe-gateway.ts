import Stripe from 'stripe';
import type { StripeConfig } from '../config.ts';

/** What Warren needs to know of a Checkout Session, from the API or from a webhook event. */
export interface CheckoutSessionFacts {
  id: string;
  mode: string;
  status: string | null;
  paymentStatus: string;
  amountTotal: number | null;
  currency: string | null;
  email: string | null;
  thesisId: string | null;
  paymentIntentId: string | null;
}

export interface NewCheckoutSession {
  thesisId: string;
  title: string;
  amount: number;
  currency: string;
  successUrl: string;
  cancelUrl: string;
}

export interface StripeGateway {
  createCheckoutSession(request: NewCheckoutSession): Promise<{ id: string; url: string }>;
  retrieveCheckoutSession(id: string): Promise<CheckoutSessionFacts>;
  /** Verifies the signature (and its timestamp) over the raw body; throws when it does not hold. */
  parseWebhookEvent(rawBody: Buffer, signature: string | undefined): Stripe.Event;
}

export function checkoutSessionFacts(session: Stripe.Checkout.Session): CheckoutSessionFacts {
  return {
    id: session.id,
    mode: session.mode,
    status: session.status,
    paymentStatus: session.payment_status,
    amountTotal: session.amount_total,
    currency: session.currency,
    email: session.customer_details?.email ?? session.customer_email ?? null,
    thesisId: session.metadata?.thesisId ?? null,
    paymentIntentId: typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null),
  };
}

/** The only module that imports 'stripe'. STRIPE_API_BASE points the real SDK at a local fake in tests. */
export function createStripeGateway(config: StripeConfig): StripeGateway {
  const base = config.apiBase ? new URL(config.apiBase) : undefined;
  const stripe = new Stripe(config.secretKey, {
    maxNetworkRetries: 2,
    ...(base && {
      host: base.hostname,
      port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
      protocol: base.protocol.replace(':', '') as 'http' | 'https',
    }),
  });

  return {
    async createCheckoutSession(request) {
      const session = await stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          {
            quantity: 1,
            price_data: { currency: request.currency, unit_amount: request.amount, product_data: { name: request.title } },
          },
        ],
        metadata: { thesisId: request.thesisId },
        success_url: request.successUrl,
        cancel_url: request.cancelUrl,
      });
      if (!session.url) throw new Error(`Checkout Session ${session.id} has no URL`);
      return { id: session.id, url: session.url };
    },
    async retrieveCheckoutSession(id) {
      return checkoutSessionFacts(await stripe.checkout.sessions.retrieve(id));
    },
    parseWebhookEvent(rawBody, signature) {
      if (!signature) throw new Error('missing Stripe-Signature header');
      return stripe.webhooks.constructEvent(rawBody, signature, config.webhookSecret);
    },
  };
}
