import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, expectStatus, signInByEmail, startCheckout, startWarren, type Warren } from './support/harness.ts';
import { deliver } from './support/payments.ts';
import { CANADIAN_TAXES, type FakeBuyer, type FakeTax } from './support/fake-stripe.ts';
import { binary, readPdf } from './support/receipt-pdf.ts';

const { gst, hstOntario, qst, hstOntarioIncluded } = CANADIAN_TAXES;
const SELLER = {
  SELLER_LEGAL_NAME: 'Rabbit Hole Research Inc.',
  SELLER_ADDRESS: '1 King St W\\nToronto ON  M5H 1A1\\nCanada',
  SELLER_GST_HST_NUMBER: '123456789 RT0001',
  SELLER_QST_NUMBER: '1234567890 TQ0001',
};
type Agent = ReturnType<typeof request.agent>;

/** A web page's text without tags, blanks collapsed: comparable with the PDF's text. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#x27;/g, "'").replace(/&#x2F;/g, '/').replace(/\s+/g, ' ');

describe("Receipts from Stripe Tax's lines: each tax with its rate and jurisdiction, the buyer's name and tax ID, Stripe's invoice", () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ...SELLER, STRIPE_AUTOMATIC_TAX: 'true', STRIPE_TAX_ID_COLLECTION: 'true', STRIPE_INVOICES: 'true' });
  });
  afterAll(() => warren.close());

  /** A purchase paid with these taxes, fulfilled by the webhook; the buyer signed in from the inbox, with the receipt's web and PDF text. */
  async function receiptOf(email: string, taxes: readonly FakeTax[], buyer: FakeBuyer = {}) {
    const checkout = expectStatus(await startCheckout(request.agent(warren.app), DEMO_SLUG), 303);
    const sessionId = new URL(checkout.headers.location).pathname.split('/').pop()!;
    await deliver(warren, 'checkout.session.completed', warren.stripe.payWithTaxes(sessionId, email, taxes, buyer)).expect(200);
    const { agent } = await signInByEmail(warren, email);
    const purchase = await warren.db.purchase.findFirstOrThrow({ where: { checkoutSessionId: sessionId }, include: { receipt: true } });
    const number = purchase.receipt!.number;
    const page = (await (agent as Agent).get(`/account/receipts/${number}`).expect(200)).text;
    const pdf = await (agent as Agent).get(`/account/receipts/${number}.pdf`).buffer(true).parse(binary as unknown as Parameters<request.Test['parse']>[0]).expect(200);
    return { page, web: textOf(page), pdf: readPdf(pdf.body as Buffer).text.replace(/\s+/g, ' ') };
  }

  it('When an Ontario buyer paid 13 % HST, then the receipt names the seller\'s GST/HST number and the HST line with its rate and province, and no QST number', async () => {
    const { web, pdf } = await receiptOf('ontario@example.com', [hstOntario]);
    for (const text of [web, pdf]) {
      expect(text).toContain('GST/HST registration no. 123456789 RT0001');
      expect(text).toMatch(/Subtotal \$75\.00 CAD/);
      expect(text).toMatch(/HST \(13 %\), Ontario \$9\.75 CAD/);
      expect(text).toMatch(/Total \(CAD\) \$84\.75 CAD/);
      expect(text).not.toContain('QST registration');
      expect(text).not.toContain('Sales tax');
    }
  });

  it("When a Québec business paid 5 % GST and 9.975 % QST, then both lines carry their rates, the QST number is named, and so are the buyer's name and tax ID", async () => {
    const { web, pdf } = await receiptOf('quebec@example.com', [gst, qst], { name: 'Épargne Lévis Inc.', taxId: { type: 'ca_qst', value: '1234567890TQ0002' } });
    for (const text of [web, pdf]) {
      expect(text).toMatch(/GST \(5 %\), Canada \$3\.75 CAD/);
      expect(text).toMatch(/QST \(9\.975 %\), Quebec \$7\.48 CAD/);
      expect(text).toMatch(/Total \(CAD\) \$86\.23 CAD/);
      expect(text).toContain('QST registration no. 1234567890 TQ0001');
      expect(text).toContain('Épargne Lévis Inc. (quebec@example.com)');
      expect(text).toContain('1234567890TQ0002 (ca_qst)');
    }
  });

  it('When the price included 13 % HST, then the receipt shows it as included and says the total includes GST/HST of that amount', async () => {
    const { web, pdf } = await receiptOf('included@example.com', [hstOntarioIncluded]);
    for (const text of [web, pdf]) {
      expect(text).toMatch(/HST \(13 %\), Ontario, included \$8\.63 CAD/);
      expect(text).toMatch(/Total \(CAD\) \$75\.00 CAD/);
      expect(text).toContain('The total includes GST/HST of $8.63 CAD.');
    }
  });

  it("When a buyer outside the HST provinces paid 5 % GST and Checkout made a Stripe invoice, then the receipt shows the GST line and links Stripe's hosted invoice and its PDF beside ours", async () => {
    const { page, web, pdf } = await receiptOf('invoiced@example.com', [gst]);
    for (const text of [web, pdf]) {
      expect(text).toMatch(/Subtotal \$75\.00 CAD/);
      expect(text).toMatch(/GST \(5 %\), Canada \$3\.75 CAD/);
      expect(text).toMatch(/Total \(CAD\) \$78\.75 CAD/);
    }
    const invoice = [...warren.stripe.invoices.values()].at(-1)!;
    expect(page).toContain(`href="${invoice.hosted_invoice_url}"`);
    expect(page).toContain(`href="${invoice.invoice_pdf}"`);
  });
});
