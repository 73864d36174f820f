import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import pino from 'pino';
import { DEMO_SLUG, expectStatus, startCheckout, startWarren, type Warren } from './support/harness.ts';
import { deliver } from './support/payments.ts';
import { CANADIAN_TAXES, type FakeBuyer, type FakeTax } from './support/fake-stripe.ts';
import { purchaseTaxFacts } from '../server/checkout/purchase-tax-facts.ts';
import { reconcileWithStripe } from '../server/checkout/reconcile.ts';
import { fillPendingTaxLines } from '../server/checkout/pending-tax-lines.ts';
import { createStripeGateway } from '../server/checkout/stripe-gateway.ts';

const { gst, hstOntario, qst, hstOntarioIncluded } = CANADIAN_TAXES;

/** A checkout started on the buy page and paid on Stripe's page with these taxes (none: paid untaxed). */
async function checkoutPaid(warren: Warren, email: string, taxes: readonly FakeTax[], buyer: FakeBuyer = {}) {
  const agent = request.agent(warren.app);
  const checkout = expectStatus(await startCheckout(agent, DEMO_SLUG), 303);
  const sessionId = new URL(checkout.headers.location).pathname.split('/').pop()!;
  const session = taxes.length > 0 || buyer.name ? warren.stripe.payWithTaxes(sessionId, email, taxes, buyer) : warren.stripe.pay(sessionId, email);
  return { agent, sessionId, session };
}

const purchaseOf = (warren: Warren, sessionId: string) =>
  warren.db.purchase.findUniqueOrThrow({ where: { checkoutSessionId: sessionId }, include: { taxLines: { orderBy: { position: 'asc' } } } });

/** The tax lines as stored, without their ids. */
const linesOf = (purchase: Awaited<ReturnType<typeof purchaseOf>>) => purchase.taxLines.map(({ id: _id, purchaseId: _p, ...line }) => line);

const breakdownRequests = (warren: Warren, sessionId: string) =>
  warren.stripe.requests.filter(
    (r) => r.method === 'GET' && r.path === `/v1/checkout/sessions/${sessionId}` && (r.params.expand as string[] | undefined)?.includes('total_details.breakdown'),
  );

describe('With Stripe Tax, business tax IDs and invoices on, each purchase keeps the tax facts Stripe reported', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ STRIPE_AUTOMATIC_TAX: 'true', STRIPE_TAX_ID_COLLECTION: 'true', STRIPE_INVOICES: 'true' });
  });
  afterAll(() => warren.close());

  it('When no tax was charged, then the purchase keeps its subtotal and total, no tax line, and no extra call was made to Stripe', async () => {
    const { sessionId, session } = await checkoutPaid(warren, 'untaxed@example.com', []);
    await deliver(warren, 'checkout.session.completed', session).expect(200);

    const purchase = await purchaseOf(warren, sessionId);
    expect(purchase).toMatchObject({ amount: 7500, subtotalAmount: 7500, taxAmount: 0, taxLinesPending: false, taxBehavior: 'exclusive' });
    expect(purchase.taxLines).toEqual([]);
    expect(breakdownRequests(warren, sessionId)).toHaveLength(0);
    expect(await purchaseTaxFacts(warren.db, purchase.id)).toMatchObject({ subtotal: 7500, discount: 0, tax: 0, total: 7500, currency: 'cad', taxLines: [] });
  });

  it('When Stripe charged 5 % GST and the webhook arrives, then the breakdown is asked of Stripe and the GST line is stored exactly', async () => {
    const { sessionId, session } = await checkoutPaid(warren, 'gst@example.com', [gst]);
    await deliver(warren, 'checkout.session.completed', session).expect(200);

    const purchase = await purchaseOf(warren, sessionId);
    expect(purchase).toMatchObject({ amount: 7875, subtotalAmount: 7500, taxAmount: 375, taxLinesPending: false });
    expect(linesOf(purchase)).toEqual([
      { position: 0, displayName: 'GST', percentage: '5', jurisdiction: 'Canada', country: 'CA', state: null, inclusive: false, taxabilityReason: 'standard_rated', amount: 375 },
    ]);
    expect(breakdownRequests(warren, sessionId)).toHaveLength(1);
  });

  it('When Stripe charged 13 % HST and the success page fulfils, then the HST line comes with the session it retrieves', async () => {
    const { agent, sessionId } = await checkoutPaid(warren, 'hst@example.com', [hstOntario]);
    await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);

    const purchase = await purchaseOf(warren, sessionId);
    expect(purchase).toMatchObject({ amount: 8475, subtotalAmount: 7500, taxAmount: 975, taxLinesPending: false });
    expect(linesOf(purchase)).toEqual([
      { position: 0, displayName: 'HST', percentage: '13', jurisdiction: 'Ontario', country: 'CA', state: 'ON', inclusive: false, taxabilityReason: 'standard_rated', amount: 975 },
    ]);
  });

  it('When a Quebec buyer paid 5 % GST and 9.975 % QST, then both lines are kept in Stripe\'s order with the rate as Stripe wrote it', async () => {
    const { sessionId, session } = await checkoutPaid(warren, 'quebec@example.com', [gst, qst]);
    await deliver(warren, 'checkout.session.completed', session).expect(200);

    const purchase = await purchaseOf(warren, sessionId);
    expect(purchase).toMatchObject({ amount: 8623, subtotalAmount: 7500, taxAmount: 1123 });
    expect(linesOf(purchase).map(({ displayName, percentage, state, amount }) => ({ displayName, percentage, state, amount }))).toEqual([
      { displayName: 'GST', percentage: '5', state: null, amount: 375 },
      { displayName: 'QST', percentage: '9.975', state: 'QC', amount: 748 },
    ]);
    const facts = await purchaseTaxFacts(warren.db, purchase.id);
    expect(facts).toMatchObject({ subtotal: 7500, tax: 1123, total: 8623 });
    expect(facts!.taxLines.reduce((sum, line) => sum + line.amount, 0)).toBe(facts!.tax);
  });

  it('When the thesis price includes tax, then Checkout is sent tax_behavior inclusive and the purchase keeps the HST as part of the $75 paid', async () => {
    await warren.db.thesis.update({ where: { slug: DEMO_SLUG }, data: { taxBehavior: 'inclusive' } });
    try {
      const { sessionId, session } = await checkoutPaid(warren, 'included@example.com', [hstOntarioIncluded]);
      const created = warren.stripe.sessionCreations().at(-1)!;
      expect((created.params.line_items as { price_data: { tax_behavior?: string } }[])[0]!.price_data.tax_behavior).toBe('inclusive');
      await deliver(warren, 'checkout.session.completed', session).expect(200);

      const purchase = await purchaseOf(warren, sessionId);
      expect(purchase).toMatchObject({ amount: 7500, subtotalAmount: 7500, taxAmount: 863, taxBehavior: 'inclusive' });
      expect(linesOf(purchase)).toEqual([
        { position: 0, displayName: 'HST', percentage: '13', jurisdiction: 'Ontario', country: 'CA', state: 'ON', inclusive: true, taxabilityReason: 'standard_rated', amount: 863 },
      ]);
      expect(await purchaseTaxFacts(warren.db, purchase.id)).toMatchObject({ subtotal: 7500, tax: 863, total: 7500, taxBehavior: 'inclusive' });
    } finally {
      await warren.db.thesis.update({ where: { slug: DEMO_SLUG }, data: { taxBehavior: 'exclusive' } });
    }
  });

  it('When the buyer gave a name and a business tax ID, then Checkout was asked to collect it and make an invoice, and the purchase keeps name, ID and invoice', async () => {
    const buyer = { name: 'Harbourline Capital Inc.', taxId: { type: 'ca_gst_hst', value: '123456789RT0001' } };
    const { sessionId, session } = await checkoutPaid(warren, 'business@example.com', [hstOntario], buyer);
    const created = warren.stripe.sessionCreations().at(-1)!;
    expect(created.params).toMatchObject({ tax_id_collection: { enabled: 'true' }, invoice_creation: { enabled: 'true' } });
    expect((created.params.line_items as { price_data: { tax_behavior?: string } }[])[0]!.price_data.tax_behavior).toBe('exclusive');
    await deliver(warren, 'checkout.session.completed', session).expect(200);

    const purchase = await purchaseOf(warren, sessionId);
    expect(purchase).toMatchObject({ buyerName: 'Harbourline Capital Inc.', buyerTaxIdType: 'ca_gst_hst', buyerTaxId: '123456789RT0001' });
    expect(purchase.stripeInvoiceId).toMatch(/^in_test_/);
    const facts = await purchaseTaxFacts(warren.db, purchase.id);
    expect(facts).toMatchObject({ buyerName: 'Harbourline Capital Inc.', buyerTaxIdType: 'ca_gst_hst', buyerTaxId: '123456789RT0001', invoiceId: purchase.stripeInvoiceId });

    const links = await createStripeGateway(warren.config.stripe!, warren.clock).retrieveInvoiceLinks(purchase.stripeInvoiceId!);
    expect(links).toEqual({
      hostedInvoiceUrl: `https://invoice.stripe.test/i/${purchase.stripeInvoiceId}`,
      invoicePdf: `https://pay.stripe.test/invoice/${purchase.stripeInvoiceId}/pdf`,
    });
  });

  it('When Stripe fails to give the tax breakdown for a webhook, then the purchase and access are kept with the tax total, and reconcile fills the lines once', async () => {
    const { sessionId, session } = await checkoutPaid(warren, 'outage@example.com', [gst, qst]);
    warren.stripe.failNextTaxBreakdowns(1);
    await deliver(warren, 'checkout.session.completed', session).expect(200);

    const kept = await purchaseOf(warren, sessionId);
    expect(kept).toMatchObject({ amount: 8623, taxAmount: 1123, taxLinesPending: true, status: 'paid' });
    expect(kept.taxLines).toEqual([]);
    expect(await warren.db.entitlement.findFirst({ where: { purchaseId: kept.id }, select: { status: true } })).toEqual({ status: 'active' });
    expect(await purchaseTaxFacts(warren.db, kept.id)).toMatchObject({ tax: 1123, total: 8623, taxLinesPending: true, taxLines: [] });

    const deps = { db: warren.db, clock: warren.clock, logger: pino({ level: 'silent' }), adminEmails: [], stripe: createStripeGateway(warren.config.stripe!, warren.clock) };
    const since = new Date(warren.clock.now().getTime() - 60 * 60 * 1000);
    expect((await reconcileWithStripe(deps, since)).taxLinesFilled).toBe(1);
    const filled = await purchaseOf(warren, sessionId);
    expect(filled.taxLinesPending).toBe(false);
    expect(linesOf(filled).map((line) => [line.displayName, line.percentage, line.amount])).toEqual([
      ['GST', '5', 375],
      ['QST', '9.975', 748],
    ]);

    expect((await reconcileWithStripe(deps, since)).taxLinesFilled).toBe(0);
    expect(await warren.db.purchaseTaxLine.count({ where: { purchaseId: kept.id } })).toBe(2);
    expect(await warren.db.purchase.count({ where: { checkoutSessionId: sessionId } })).toBe(1);
  });

  it('When two instances fill the same pending purchase at once, then its tax lines are written once', async () => {
    const { sessionId, session } = await checkoutPaid(warren, 'two-instances@example.com', [hstOntario]);
    warren.stripe.failNextTaxBreakdowns(1);
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    const { id } = await purchaseOf(warren, sessionId);

    const deps = { db: warren.db, logger: pino({ level: 'silent' }), stripe: createStripeGateway(warren.config.stripe!, warren.clock) };
    const filled = await Promise.all([fillPendingTaxLines(deps), fillPendingTaxLines(deps)]);
    expect(filled[0]! + filled[1]!).toBe(1);
    expect(await warren.db.purchaseTaxLine.findMany({ where: { purchaseId: id }, select: { displayName: true, amount: true } })).toEqual([{ displayName: 'HST', amount: 975 }]);
    expect((await purchaseOf(warren, sessionId)).taxLinesPending).toBe(false);
  });
});

describe('Without those settings, Checkout is asked for none of them', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  it('When Stripe Tax, tax IDs and invoices are off, then no tax_behavior, tax_id_collection or invoice_creation is sent and the purchase has no invoice', async () => {
    const { sessionId, session } = await checkoutPaid(warren, 'plain@example.com', []);
    const created = warren.stripe.sessionCreations().at(-1)!;
    expect(created.params).not.toHaveProperty('tax_id_collection');
    expect(created.params).not.toHaveProperty('invoice_creation');
    expect((created.params.line_items as { price_data: Record<string, unknown> }[])[0]!.price_data).not.toHaveProperty('tax_behavior');
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    expect(await purchaseOf(warren, sessionId)).toMatchObject({ stripeInvoiceId: null, buyerTaxId: null, taxLinesPending: false });
  });
});
