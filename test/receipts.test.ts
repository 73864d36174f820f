import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, expectStatus, signInByEmail, startCheckout, startWarren, submitForm, type Warren } from './support/harness.ts';
import { deliver } from './support/payments.ts';
import { decodeAttribute } from './support/mail-fixtures.ts';
import { binary, readPdf } from './support/receipt-pdf.ts';
import { refundTaxShare } from '../server/receipts/issue-documents.ts';

const ADMIN = 'publisher@example.com';
const SELLER = {
  SELLER_LEGAL_NAME: 'Rabbit Hole Research Inc.',
  SELLER_ADDRESS: '1 King St W\\nToronto ON  M5H 1A1\\nCanada',
  SELLER_GST_HST_NUMBER: '123456789rt0001',
  SELLER_QST_NUMBER: '1234567890TQ0001',
};
type Agent = ReturnType<typeof request.agent>;

describe('Receipts and credit notes: the web page and the PDF', () => {
  let warren: Warren;
  let admin: Agent;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN, ...SELLER });
    await warren.db.user.create({ data: { email: ADMIN, createdAt: warren.clock.now() } });
    ({ agent: admin } = await signInByEmail(warren, ADMIN));
  });
  afterAll(() => warren.close());

  /** A buyer of the demo thesis (Stripe Tax added `tax`, 0: none), fulfilled by the webhook, signed in from the inbox. */
  async function buyer(email: string, tax = 0) {
    const checkout = expectStatus(await startCheckout(request.agent(warren.app), DEMO_SLUG), 303);
    const sessionId = new URL(checkout.headers.location).pathname.split('/').pop()!;
    const session = tax > 0 ? warren.stripe.payWithTax(sessionId, email, tax) : warren.stripe.pay(sessionId, email);
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    const { agent } = await signInByEmail(warren, email);
    const user = await warren.db.user.findUniqueOrThrow({ where: { email } });
    const purchase = await warren.db.purchase.findFirstOrThrow({ where: { userId: user.id }, include: { receipt: true } });
    const number = purchase.receipt!.number;
    const memberPage = `/admin/members/${user.id}`;
    return { agent, sessionId, user, purchase, number, memberPage, refundAction: `${memberPage}/purchases/${purchase.id}/refund` };
  }
  type Buyer = Awaited<ReturnType<typeof buyer>>;

  /** The admin's refund of `amount` ('' = the rest), confirmed as the confirm page's button posts it. */
  async function adminRefund(member: Buyer, amount: string) {
    const confirm = expectStatus(await submitForm(admin, member.memberPage, member.refundAction, { amount, reason: 'requested_by_customer' }), 200);
    const fields: Record<string, string> = {};
    for (const [, name, value] of confirm.text.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) fields[name] = decodeAttribute(value);
    expectStatus(await admin.post(member.refundAction).type('form').send(fields), 303);
  }

  const webReceipt = async (agent: Agent, number: string) => (await agent.get(`/account/receipts/${number}`).expect(200)).text;
  async function pdfReceipt(agent: Agent, number: string) {
    const res = await agent.get(`/account/receipts/${number}.pdf`).buffer(true).parse(binary as unknown as Parameters<request.Test['parse']>[0]).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('private, no-store');
    return readPdf(res.body as Buffer);
  }
  /** A web page's text without tags, blanks collapsed: comparable with the PDF's text. */
  const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#x27;/g, "'").replace(/\s+/g, ' ');

  it('When a purchase carried no tax, then its receipt names the seller, its GST/HST number, the date, the buyer, the thesis, the amounts and no tax, on the web and in the PDF alike', async () => {
    const member = await buyer('untaxed@example.com');
    expect(member.number).toMatch(/^W-\d{6}$/);
    const web = textOf(await webReceipt(member.agent, member.number));
    const pdf = await pdfReceipt(member.agent, member.number);
    for (const text of [web, pdf.text]) {
      expect(text).toContain(`Receipt ${member.number}`);
      expect(text).toContain('Rabbit Hole Research Inc.');
      expect(text).toContain('1 King St W');
      expect(text).toContain('Toronto ON M5H 1A1');
      expect(text).toContain('GST/HST registration no. 123456789 RT0001');
      expect(text).toContain('November 26, 2026');
      expect(text).toContain('untaxed@example.com');
      expect(text).toContain('The Decode Singularity');
      expect(text).toMatch(/Subtotal \$75\.00 CAD/);
      expect(text).toMatch(/Tax \$0\.00 CAD/);
      expect(text).toMatch(/Total \(CAD\) \$75\.00 CAD/);
      // QST is named only where Québec's tax was charged.
      expect(text).not.toContain('QST');
      expect(text).not.toContain('Credit note');
    }
    // The fonts are embedded (poppler's "emb" column), none of PDF's unembedded standard fonts.
    const fontRows = pdf.fonts.split('\n').slice(2).filter(Boolean);
    expect(fontRows.length).toBeGreaterThan(0);
    for (const row of fontRows) expect(row).toMatch(/DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes yes/);
  });

  it('When Stripe added 13 % tax, then the receipt shows the subtotal, the tax line and the total, and the receipt e-mail links the web and PDF receipts', async () => {
    const member = await buyer('taxed@example.com', 975);
    const web = textOf(await webReceipt(member.agent, member.number));
    const { text: pdf } = await pdfReceipt(member.agent, member.number);
    for (const text of [web, pdf]) {
      expect(text).toMatch(/Subtotal \$75\.00 CAD/);
      expect(text).toMatch(/Sales tax \$9\.75 CAD/);
      expect(text).toMatch(/Total \(CAD\) \$84\.75 CAD/);
    }
    await warren.deliverMail();
    const [mail] = warren.inbox.to('taxed@example.com').filter((message) => message.text?.includes(member.number));
    expect(mail!.text).toContain(`web: http://warren.test/account/receipts/${member.number}\n`);
    expect(mail!.text).toContain(`PDF: http://warren.test/account/receipts/${member.number}.pdf\n`);
    expect(mail!.html).toContain(`href="http://warren.test/account/receipts/${member.number}.pdf"`);
  });

  it('When the admin refunds part of a taxed purchase and then the rest, then each refund adds a credit note with its tax share, the shares add up to the tax, and the webhook that follows adds none', async () => {
    const member = await buyer('partial@example.com', 975);
    await adminRefund(member, '30');
    let notes = await warren.db.creditNote.findMany({ where: { purchaseId: member.purchase.id }, orderBy: { number: 'asc' } });
    expect(notes).toMatchObject([{ amount: 3000, taxAmount: 345, currency: 'cad' }]);
    const first = notes[0]!.number;
    expect(first).toMatch(/^C-\d{6}$/);
    for (const text of [textOf(await webReceipt(member.agent, member.number)), (await pdfReceipt(member.agent, member.number)).text]) {
      expect(text).toContain(`Credit note`);
      expect(text).toContain(first);
      expect(text).toContain('$30.00 CAD');
      expect(text).toContain('$3.45 CAD');
    }

    await adminRefund(member, '');
    // Stripe's charge.refunded, listing both refunds, then a replay: no third credit note.
    const charge = warren.stripe.charge(warren.stripe.sessions.get(member.sessionId)!, 'full');
    await deliver(warren, 'charge.refunded', charge).expect(200);
    await deliver(warren, 'charge.refunded', charge).expect(200);
    notes = await warren.db.creditNote.findMany({ where: { purchaseId: member.purchase.id }, orderBy: { number: 'asc' } });
    expect(notes.map(({ amount, taxAmount }) => ({ amount, taxAmount }))).toEqual([
      { amount: 3000, taxAmount: 345 },
      { amount: 5475, taxAmount: 630 },
    ]);
    expect(Number(notes[1]!.number.slice(2))).toBe(Number(first.slice(2)) + 1);
    const web = textOf(await webReceipt(member.agent, member.number));
    expect(web).toContain(notes[1]!.number);
    expect(web).toContain('$54.75 CAD');
    expect(web).toContain('$6.30 CAD');
  });

  it("When Stripe's charge.refunded arrives before the admin's refund is settled, then the webhook adds the credit note and settling the admin's refund adds none", async () => {
    const member = await buyer('webhook-first@example.com');
    warren.stripe.loseNextRefundAnswers(3); // Stripe refunds, but the admin's request hears nothing back
    await adminRefund(member, '');
    expect(await warren.db.creditNote.count({ where: { purchaseId: member.purchase.id } })).toBe(0);
    await deliver(warren, 'charge.refunded', warren.stripe.charge(warren.stripe.sessions.get(member.sessionId)!, 'full')).expect(200);
    const [row] = await warren.db.adminRefund.findMany({ where: { purchaseId: member.purchase.id } });
    expectStatus(await submitForm(admin, member.memberPage, `${member.memberPage}/refunds/${row!.id}/retry`), 303);
    const notes = await warren.db.creditNote.findMany({ where: { purchaseId: member.purchase.id } });
    expect(notes).toMatchObject([{ amount: 7500, taxAmount: 0, stripeRefundId: warren.stripe.refunds.at(-1)!.id }]);
    expect(textOf(await webReceipt(member.agent, member.number))).toContain(`${notes[0]!.number} November 26, 2026 $75.00 CAD $0.00 CAD`);
  });

  it("When a refund made in Stripe's dashboard arrives as refund.created, refund.updated and a charge.refunded that lists no refunds, then it gets one credit note", async () => {
    const member = await buyer('dashboard@example.com', 975);
    const refund = {
      id: 're_dashboard_1',
      object: 'refund',
      amount: 2000,
      currency: 'cad',
      payment_intent: member.purchase.paymentIntentId,
      charge: `ch_${member.purchase.paymentIntentId}`,
      status: 'succeeded',
      metadata: {},
      created: Math.floor(warren.clock.now().getTime() / 1000),
    };
    await deliver(warren, 'refund.created', refund).expect(200);
    await deliver(warren, 'refund.created', refund).expect(200);
    await deliver(warren, 'refund.updated', refund).expect(200);
    const { refunds: _listed, ...chargeAsSentToday } = warren.stripe.charge(warren.stripe.sessions.get(member.sessionId)!, 'partial');
    await deliver(warren, 'charge.refunded', chargeAsSentToday).expect(200);
    // A refund still pending at the bank adds nothing until it succeeds.
    await deliver(warren, 'refund.created', { ...refund, id: 're_dashboard_pending', status: 'pending' }).expect(200);
    const notes = await warren.db.creditNote.findMany({ where: { purchaseId: member.purchase.id } });
    expect(notes).toMatchObject([{ stripeRefundId: 're_dashboard_1', amount: 2000, taxAmount: 230 }]);
    expect(textOf(await webReceipt(member.agent, member.number))).toContain(`${notes[0]!.number} November 26, 2026 $20.00 CAD $2.30 CAD`);
  });

  it('When a stranger, a signed-out visitor, the admin or anyone with a malformed number asks for a receipt, then only the owner and the admin see it; everyone else gets 404 or the sign-in page', async () => {
    const owner = await buyer('owner@example.com');
    const stranger = await buyer('stranger@example.com');
    for (const path of [`/account/receipts/${owner.number}`, `/account/receipts/${owner.number}.pdf`]) {
      const refused = await stranger.agent.get(path).expect(404);
      expect(refused.text).not.toContain('owner@example.com');
      const anonymous = await request(warren.app).get(path).expect(303);
      expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    expect(textOf(await webReceipt(admin, owner.number))).toContain('owner@example.com');
    expect((await pdfReceipt(admin, owner.number)).text).toContain('owner@example.com');
    for (const bad of ['W-999999', 'W-1', 'w-000001', 'C-000001', 'W-000001.exe', '..%2Fadmin', 'W-000001.pdf.pdf']) {
      await owner.agent.get(`/account/receipts/${bad}`).expect(404);
    }
    // The account page, the purchase's page and the admin's member page link to it.
    expect((await owner.agent.get('/account').expect(200)).text).toContain(`href="/account/receipts/${owner.number}"`);
    expect((await owner.agent.get(`/account/purchases/${owner.purchase.id}`).expect(200)).text).toContain(`href="/account/receipts/${owner.number}.pdf"`);
    const memberPage = (await admin.get(owner.memberPage).expect(200)).text;
    expect(memberPage).toContain(`href="/account/receipts/${owner.number}"`);
    expect(memberPage).toContain(`href="/account/receipts/${owner.number}.pdf"`);
  });

  it('When refunds are split, then the tax shares are pro rata on the running total, rounded half up to the cent, and add up to the whole tax', () => {
    expect(refundTaxShare(8475, 975, 0, 3000)).toBe(345);
    expect(refundTaxShare(8475, 975, 3000, 5475)).toBe(630);
    // Three refunds of a third: 325 each, no cent lost or gained.
    const thirds = [2825, 2825, 2825].map((amount, n) => refundTaxShare(8475, 975, n * 2825, amount));
    expect(thirds.reduce((sum, share) => sum + share, 0)).toBe(975);
    expect(refundTaxShare(7500, 0, 0, 7500)).toBe(0);
  });
});
