import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyThesis, signInByEmail, startWarren, type Warren } from './support/harness.ts';

const ADMIN = 'publisher@example.com';
const BUYER = 'tester@example.com';
const LABEL = 'Test purchase: made with Stripe test keys. No money was taken.';

describe('Purchases made with Stripe test keys say so', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
  });
  afterAll(() => warren.close());

  it('When a buyer pays in test mode, then the receipt, the sale notice and the web receipt are marked as a test, and a live purchase is not', async () => {
    const { agent, sessionId } = await buyThesis(warren, BUYER);
    await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    await warren.deliverMail();

    const [receipt] = warren.inbox.to(BUYER);
    expect(receipt.text).toMatch(/^TEST PURCHASE: made with Stripe test keys\. No money was taken\.\n/);
    expect(receipt.html).toContain(LABEL);
    const [notice] = warren.inbox.to(ADMIN);
    expect(notice.subject).toMatch(/^New sale: /);
    expect(notice.text).toMatch(/^TEST PURCHASE: /);

    const member = (await signInByEmail(warren, BUYER)).agent;
    const purchase = await warren.db.purchase.findFirstOrThrow({ where: { checkoutSessionId: sessionId } });
    const receiptPage = async () => (await member.get(`/account/purchases/${purchase.id}`).expect(200)).text;
    expect(await receiptPage()).toContain(`<p class="notice" data-test-mode>${LABEL}</p>`);

    // The label follows the mode Stripe reported for the checkout, so a live one carries none.
    await warren.db.checkoutAttempt.update({ where: { checkoutSessionId: sessionId }, data: { livemode: true } });
    const live = await receiptPage();
    expect(live).not.toContain('data-test-mode');
    expect(live).toContain('<th scope="row">Sold by</th>');
  });
});
