import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, expectStatus, signInByEmail, startCheckout, startWarren, type Warren } from './support/harness.ts';

const TAXED = 'taxed@example.com';
const UNTAXED = 'untaxed@example.com';

describe('The sales tax Stripe charged is kept with the purchase and shown on the receipts', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  /** A checkout paid on Stripe's page, with `tax` added by Stripe Tax (0: none), then fulfilled by the success page. */
  async function buy(email: string, tax: number) {
    const agent = request.agent(warren.app);
    const checkout = expectStatus(await startCheckout(agent, DEMO_SLUG), 303);
    const sessionId = new URL(checkout.headers.location).pathname.split('/').pop()!;
    if (tax > 0) warren.stripe.payWithTax(sessionId, email, tax);
    else warren.stripe.pay(sessionId, email);
    await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    await warren.deliverMail();
    return warren.db.purchase.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
  }

  it('When Stripe added 13 % HST to a $75 thesis, then the purchase keeps $84.75 and its $9.75 of tax, and both receipts say so', async () => {
    const purchase = await buy(TAXED, 975);
    expect(purchase).toMatchObject({ amount: 8475, taxAmount: 975, status: 'paid' });

    const [receipt] = warren.inbox.to(TAXED);
    expect(receipt.text).toContain('Amount:    $84.75 CAD\nTax:       $9.75 CAD (included in the amount)\n');
    expect(receipt.html).toMatch(/<td[^>]*>Of which sales tax<\/td><td>\$9\.75 CAD<\/td>/);

    const member = (await signInByEmail(warren, TAXED)).agent;
    const page = (await member.get(`/account/purchases/${purchase.id}`).expect(200)).text;
    expect(page).toContain('<tr><th scope="row">Amount</th><td>$84.75 CAD</td></tr>');
    expect(page).toContain('<tr><th scope="row">Of which sales tax</th><td>$9.75 CAD</td></tr>');
  });

  it('When no tax was charged, then the purchase keeps 0 and no receipt has a tax line', async () => {
    const purchase = await buy(UNTAXED, 0);
    expect(purchase).toMatchObject({ amount: 7500, taxAmount: 0 });
    const [receipt] = warren.inbox.to(UNTAXED);
    expect(receipt.text).not.toContain('Tax:');
    expect(receipt.html).not.toContain('sales tax');
    const member = (await signInByEmail(warren, UNTAXED)).agent;
    expect((await member.get(`/account/purchases/${purchase.id}`).expect(200)).text).not.toContain('sales tax');
  });
});
