import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import pino from 'pino';
import { DEMO_SLUG, expectStatus, startCheckout, startWarren, type Warren } from './support/harness.ts';
import { deliver } from './support/payments.ts';
import { CANADIAN_TAXES } from './support/fake-stripe.ts';
import { fillPendingTaxLines } from '../server/checkout/pending-tax-lines.ts';
import { createStripeGateway } from '../server/checkout/stripe-gateway.ts';

/**
 * The duplicate-refund worker fills pending tax lines after refunding duplicates, in one chain: while
 * Stripe is down, asking it once per pending purchase (each with the SDK's retries and timeout) would
 * hold the next refunds (and a graceful shutdown) back for every purchase in the run.
 */
describe('Pending tax lines while Stripe is down', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ STRIPE_AUTOMATIC_TAX: 'true' });
  });
  afterAll(() => warren.close());

  it('When Stripe fails for the first pending purchase, then the run stops there, and the next run fills them all', async () => {
    for (const email of ['pending-a@example.com', 'pending-b@example.com', 'pending-c@example.com']) {
      const checkout = expectStatus(await startCheckout(request.agent(warren.app), DEMO_SLUG), 303);
      const sessionId = new URL(checkout.headers.location).pathname.split('/').pop()!;
      warren.stripe.failNextTaxBreakdowns(1);
      await deliver(warren, 'checkout.session.completed', warren.stripe.payWithTaxes(sessionId, email, [CANADIAN_TAXES.gst])).expect(200);
    }
    expect(await warren.db.purchase.count({ where: { taxLinesPending: true } })).toBe(3);

    const deps = { db: warren.db, logger: pino({ level: 'silent' }), stripe: createStripeGateway(warren.config.stripe!, warren.clock) };
    const asked = () => warren.stripe.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/checkout/sessions/')).length;
    const before = asked();
    warren.stripe.failNextTaxBreakdowns(1_000);
    expect(await fillPendingTaxLines(deps)).toBe(0);
    // One purchase asked (the SDK's own retries included), not each of the three.
    expect(asked() - before).toBeLessThanOrEqual(3);

    warren.stripe.failNextTaxBreakdowns(0);
    expect(await fillPendingTaxLines(deps)).toBe(3);
    expect(await warren.db.purchase.count({ where: { taxLinesPending: true } })).toBe(0);
  });
});
