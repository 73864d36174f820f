import type { Config } from '../config.ts';
import type { NewCheckoutAttempt } from './checkout-attempts.ts';
import type { NewCheckoutSession } from './stripe-gateway.ts';

/** A sellable thesis as the buy page loads it (404 for an unpublished one, 503 without payments). */
export interface SellableThesis {
  id: string;
  slug: string;
  title: string;
  priceAmount: number;
  currency: string;
  price: string;
  taxBehavior: string;
}

/** One checkout of a thesis as a form asked for it: the buy form or the gift form. */
export interface ThesisCheckout {
  thesis: SellableThesis;
  /** The form's nonce: the attempt's id, Stripe's client reference, and (with `kind`) the idempotency key. */
  attempt: string;
  kind: 'checkout' | 'gift';
  /** The line item's name on Stripe's page. */
  title: string;
  buyer: { id: string; email: string } | null;
  /** An offer's promotion code this server checked for the thesis; the session then takes no other code. */
  offer?: { id: string; promotionCodeId: string };
}

/** What Stripe is asked: amount, currency and tax from the thesis record and settings from config, never from the request. */
export function sessionRequestFor(config: Config, { thesis, attempt, kind, title, buyer, offer }: ThesisCheckout): NewCheckoutSession {
  return {
    thesisId: thesis.id,
    title,
    amount: thesis.priceAmount,
    currency: thesis.currency,
    successUrl: `${config.appUrl}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${config.appUrl}/theses/${thesis.slug}`,
    idempotencyKey: `${kind}:${attempt}`,
    clientReferenceId: attempt,
    customerEmail: buyer?.email,
    automaticTax: config.checkout.automaticTax,
    taxBehavior: thesis.taxBehavior === 'inclusive' ? 'inclusive' : 'exclusive',
    allowPromotionCodes: config.checkout.promotionCodes,
    taxIdCollection: config.checkout.taxIdCollection,
    invoiceCreation: config.checkout.invoices,
    ...(offer && { offer }),
  };
}

/** The attempt that records a session made from `sessionRequestFor`, with what the request adds (attestation, browser, source). */
export function attemptFor(
  config: Config,
  { thesis, attempt, buyer, offer }: ThesisCheckout,
  session: { id: string; mode: string; livemode: boolean },
  request: Pick<NewCheckoutAttempt, 'attestedAt' | 'attestedIp' | 'browserNonceHash' | 'source'>,
): NewCheckoutAttempt {
  return {
    id: attempt,
    checkoutSessionId: session.id,
    thesisId: thesis.id,
    userId: buyer?.id ?? null,
    amount: thesis.priceAmount,
    currency: thesis.currency,
    mode: session.mode,
    livemode: session.livemode,
    // With an offer's code on it, the session takes no other code (Stripe allows one or the other).
    promotionCodes: !offer && config.checkout.promotionCodes,
    taxBehavior: thesis.taxBehavior,
    offerId: offer?.id ?? null,
    ...request,
  };
}
