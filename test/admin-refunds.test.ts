import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, csrfToken, expectStatus, signInByEmail, startWarren, submitForm, type Warren } from './support/harness.ts';
import { deliver, verifiedMember } from './support/payments.ts';
import { decodeAttribute } from './support/mail-fixtures.ts';

const ADMIN = 'publisher@example.com';
type Agent = ReturnType<typeof request.agent>;

describe('Admin: refunding a purchase from the member page', () => {
  let warren: Warren;
  let admin: Agent;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    await warren.db.user.create({ data: { email: ADMIN, createdAt: warren.clock.now() } });
    ({ agent: admin } = await signInByEmail(warren, ADMIN));
  });
  afterAll(() => warren.close());

  /** A member who bought the demo thesis (webhook delivered) and signed in from their inbox. */
  async function buyer(email: string) {
    const { agent, sessionId } = await verifiedMember(warren, email);
    const user = await warren.db.user.findUniqueOrThrow({ where: { email } });
    const purchase = await warren.db.purchase.findFirstOrThrow({ where: { userId: user.id } });
    const memberPage = `/admin/members/${user.id}`;
    return { agent, sessionId, user, purchase, memberPage, action: `${memberPage}/purchases/${purchase.id}/refund` };
  }
  type Buyer = Awaited<ReturnType<typeof buyer>>;

  /** The refund form on the member page, sent without confirming: the confirm page. */
  const ask = (member: Buyer, fields: Record<string, string>) => submitForm(admin, member.memberPage, member.action, fields);

  /** The confirm page's form, as its button posts it. */
  function confirmedFields(confirmPage: string): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const [, name, value] of confirmPage.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) fields[name] = decodeAttribute(value);
    return fields;
  }
  const postConfirmed = (member: Buyer, fields: Record<string, string>) => admin.post(member.action).type('form').send(fields);

  async function refund(member: Buyer, fields: Record<string, string>) {
    const confirm = expectStatus(await ask(member, fields), 200);
    return { confirm, result: expectStatus(await postConfirmed(member, confirmedFields(confirm.text)), 303) };
  }

  const stripeRefundsOf = (member: Buyer) => warren.stripe.refunds.filter((refund) => refund.payment_intent === member.purchase.paymentIntentId);
  const rowsOf = (member: Buyer) => warren.db.adminRefund.findMany({ where: { purchaseId: member.purchase.id }, orderBy: { createdAt: 'asc' } });
  const standingOf = async (member: Buyer) => ({
    purchase: (await warren.db.purchase.findUniqueOrThrow({ where: { id: member.purchase.id } })).status,
    entitlement: await warren.db.entitlement.findFirstOrThrow({ where: { userId: member.user.id } }),
  });
  const outboxOf = (email: string) => warren.db.outboxMessage.findMany({ where: { recipient: email }, orderBy: { createdAt: 'asc' } });
  const subjectsTo = (email: string) => warren.inbox.to(email).map((mail) => mail.subject);
  const readsMembersLayer = async (agent: Agent) => (await agent.get(`/theses/${DEMO_SLUG}`).expect(200)).text.includes('id="members-layer"');

  it('When the admin refunds a purchase in full, then Stripe refunds it once, access ends, the member is told once, and the webhook that follows changes nothing', async () => {
    const member = await buyer('full@example.com');
    const requestsBefore = warren.stripe.refundCreations().length;

    const confirm = expectStatus(await ask(member, { amount: '', reason: 'requested_by_customer', note: 'Asked by phone' }), 200);
    expect(confirm.text).toContain('Refund $75 CAD to full@example.com?');
    expect(confirm.text).toContain('stops giving access');
    // The confirm step alone changes nothing.
    expect(await rowsOf(member)).toEqual([]);
    expect(warren.stripe.refundCreations()).toHaveLength(requestsBefore);
    expect((await standingOf(member)).entitlement.status).toBe('active');

    const result = expectStatus(await postConfirmed(member, confirmedFields(confirm.text)), 303);
    const [row, ...others] = await rowsOf(member);
    expect(others).toEqual([]);
    expect(result.headers.location).toBe(`${member.memberPage}?refund=${row!.id}`);
    const [made, ...more] = stripeRefundsOf(member);
    expect(more).toEqual([]);
    expect(made).toMatchObject({ amount: 7500, reason: 'requested_by_customer', metadata: { adminRefundId: row!.id } });
    expect(warren.stripe.refundCreations().at(-1)!.idempotencyKey).toBe(`admin-refund:${row!.id}`);
    expect(row).toMatchObject({ amount: 7500, currency: 'cad', reason: 'requested_by_customer', note: 'Asked by phone', requestedBy: ADMIN, status: 'succeeded', stripeRefundId: made!.id, pendingKey: null, error: null });

    const after = await standingOf(member);
    expect(after.purchase).toBe('refunded');
    expect(after.entitlement).toMatchObject({ status: 'revoked', revokedReason: 'refunded' });
    expect(await readsMembersLayer(member.agent)).toBe(false);
    const page = (await admin.get(result.headers.location).expect(200)).text;
    expect(page).toContain(`Refunded $75 CAD (Stripe refund <code>${made!.id}</code>)`);
    expect(page).toMatch(/Refund: requested by the customer — Asked by phone, by publisher@example.com/);
    expect(page).not.toContain(member.action); // nothing left to refund: no form

    await warren.deliverMail();
    const notices = warren.inbox.to('full@example.com').filter((mail) => mail.subject?.startsWith('Your refund for'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain('We refunded $75 CAD of your purchase of "The Decode Singularity"');
    expect(notices[0]!.text).toContain("your access to the members' layer has ended");
    expect(subjectsTo('full@example.com').filter((subject) => subject?.includes('has ended'))).toEqual([]);

    // Stripe's charge.refunded for this refund, then a replay of it: nothing moves, nothing is sent.
    const outbox = await outboxOf('full@example.com');
    const mails = warren.inbox.to('full@example.com').length;
    warren.clock.advance(60_000);
    const charge = warren.stripe.charge(warren.stripe.sessions.get(member.sessionId)!, 'full');
    await deliver(warren, 'charge.refunded', charge).expect(200);
    await deliver(warren, 'charge.refunded', charge).expect(200);
    expect(await standingOf(member)).toEqual(after);
    expect(await outboxOf('full@example.com')).toEqual(outbox);
    await warren.deliverMail();
    expect(warren.inbox.to('full@example.com')).toHaveLength(mails);
    expect(stripeRefundsOf(member)).toHaveLength(1);

    // Nothing is left: asking again is refused.
    expectStatus(await ask(member, { amount: '', reason: 'requested_by_customer' }), 400);
  });

  it('When the admin refunds part of a purchase, then access stays, and a second part up to the remainder refunds the rest and ends it', async () => {
    const member = await buyer('partial@example.com');
    const first = await refund(member, { amount: '25.50', reason: 'duplicate', note: '' });
    expect(first.confirm.text).toContain('the member keeps their access');
    expect(stripeRefundsOf(member).map((made) => made.amount)).toEqual([2550]);
    expect(await standingOf(member)).toMatchObject({ purchase: 'paid', entitlement: { status: 'active' } });
    expect(await readsMembersLayer(member.agent)).toBe(true);
    const page = (await admin.get(member.memberPage).expect(200)).text;
    expect(page).toContain('Left to refund: $49.50 CAD');
    expect(page).toContain('−$25.50 CAD');
    await warren.deliverMail();
    const notices = () => warren.inbox.to('partial@example.com').filter((mail) => mail.subject?.startsWith('Your refund for'));
    expect(notices()).toHaveLength(1);
    expect(notices()[0]!.text).toContain('We refunded $25.50 CAD');
    expect(notices()[0]!.text).toContain('continues as before');

    // Stripe's partial charge.refunded changes nothing either.
    await deliver(warren, 'charge.refunded', warren.stripe.charge(warren.stripe.sessions.get(member.sessionId)!, 'partial')).expect(200);
    expect((await standingOf(member)).entitlement.status).toBe('active');

    // More than is left is refused, and nothing is asked of Stripe.
    expectStatus(await ask(member, { amount: '49.51', reason: 'duplicate' }), 400);
    const second = await refund(member, { amount: '49.50', reason: 'requested_by_customer' });
    expect(second.confirm.text).toContain('stops giving access');
    expect(stripeRefundsOf(member).map((made) => made.amount)).toEqual([2550, 4950]);
    expect(await standingOf(member)).toMatchObject({ purchase: 'refunded', entitlement: { status: 'revoked' } });
    expect(await readsMembersLayer(member.agent)).toBe(false);

    await warren.deliverMail();
    expect(notices()).toHaveLength(2);
    expect(notices()[1]!.text).toContain('We refunded $49.50 CAD');
    expect(notices()[1]!.text).toContain('has ended');
  });

  it('When the refund form is wrong in any way, then the admin gets a clear 400 or 404 and nothing changes', async () => {
    const member = await buyer('careful@example.com');
    const other = await buyer('other@example.com');
    const requests = warren.stripe.refundCreations().length;
    for (const amount of ['80', '75.01', '0', '0.00', 'abc', '-5', '1.234', '1e3', '25,50']) {
      const res = expectStatus(await ask(member, { amount, reason: 'requested_by_customer' }), 400);
      expect(res.text).toMatch(/more than zero|at most two decimals|left to refund/);
    }
    expectStatus(await ask(member, { amount: '10', reason: 'changed_mind' }), 400);
    expectStatus(await ask(member, { amount: '10', reason: 'duplicate', note: 'x'.repeat(501) }), 400);
    // The same with confirm=yes and a refund id: still refused before anything is written.
    const forged = { amount: '80', reason: 'duplicate', refundId: randomUUID(), confirm: 'yes' };
    expectStatus(await submitForm(admin, member.memberPage, member.action, forged), 400);
    expectStatus(await submitForm(admin, member.memberPage, member.action, { amount: '10', reason: 'duplicate', refundId: 'not-a-uuid', confirm: 'yes' }), 400);
    // Unknown purchase, someone else's purchase, a malformed id.
    expectStatus(await submitForm(admin, member.memberPage, `${member.memberPage}/purchases/${randomUUID()}/refund`, { reason: 'duplicate' }), 404);
    expectStatus(await submitForm(admin, member.memberPage, `${member.memberPage}/purchases/${other.purchase.id}/refund`, { reason: 'duplicate' }), 404);
    expectStatus(await submitForm(admin, member.memberPage, `${member.memberPage}/purchases/nope/refund`, { reason: 'duplicate' }), 404);

    expect(warren.stripe.refundCreations()).toHaveLength(requests);
    expect(await warren.db.adminRefund.count({ where: { purchaseId: { in: [member.purchase.id, other.purchase.id] } } })).toBe(0);
    expect(await standingOf(member)).toMatchObject({ purchase: 'paid', entitlement: { status: 'active' } });
  });

  it('When Stripe refuses the refund, then the request is marked failed with its message, shown to the admin, and access and mail are unchanged', async () => {
    const member = await buyer('refused@example.com');
    const outbox = await outboxOf('refused@example.com');
    warren.stripe.refuseNextRefund('This charge cannot be refunded right now.');
    const { result } = await refund(member, { amount: '', reason: 'fraudulent' });
    const [row] = await rowsOf(member);
    expect(row).toMatchObject({ status: 'failed', error: 'This charge cannot be refunded right now.', stripeRefundId: null, pendingKey: null });
    expect(stripeRefundsOf(member)).toEqual([]);
    const page = (await admin.get(result.headers.location).expect(200)).text;
    expect(page).toContain('The refund of $75 CAD failed. Stripe said: “This charge cannot be refunded right now.”');
    expect(await standingOf(member)).toMatchObject({ purchase: 'paid', entitlement: { status: 'active' } });
    expect(await outboxOf('refused@example.com')).toEqual(outbox);
    // A failed request holds nothing: the admin can try again.
    expect(page).toContain(member.action);
    await refund(member, { amount: '', reason: 'fraudulent' });
    expect(stripeRefundsOf(member)).toHaveLength(1);
    expect((await standingOf(member)).entitlement.status).toBe('revoked');
  });

  it('When the confirmed form is sent twice at once, and again later, then Stripe makes one refund and the member gets one notice', async () => {
    const member = await buyer('twice@example.com');
    const confirm = expectStatus(await ask(member, { amount: '', reason: 'duplicate' }), 200);
    const fields = confirmedFields(confirm.text);
    const answers = await Promise.all([postConfirmed(member, fields), postConfirmed(member, fields)]);
    expect(answers.map((answer) => answer.status)).toEqual([303, 303]);
    expectStatus(await postConfirmed(member, fields), 303);
    expect(stripeRefundsOf(member)).toHaveLength(1);
    expect(await rowsOf(member)).toHaveLength(1);
    expect((await outboxOf('twice@example.com')).filter((mail) => mail.template === 'refund-notice')).toHaveLength(1);
    expect((await standingOf(member)).entitlement.status).toBe('revoked');
  });

  it('When a refund of the purchase is still under way, then another is refused (409) without calling Stripe', async () => {
    const member = await buyer('busy@example.com');
    const now = warren.clock.now();
    await warren.db.adminRefund.create({
      data: { id: randomUUID(), purchaseId: member.purchase.id, amount: 1000, currency: 'cad', reason: 'duplicate', requestedBy: ADMIN, pendingKey: member.purchase.id, createdAt: now, updatedAt: now },
    });
    const requests = warren.stripe.refundCreations().length;
    const confirm = expectStatus(await ask(member, { amount: '10', reason: 'duplicate' }), 200);
    const res = expectStatus(await postConfirmed(member, confirmedFields(confirm.text)), 409);
    expect(res.text).toContain('Another refund of this purchase is under way');
    expect(warren.stripe.refundCreations()).toHaveLength(requests);
    expect(await rowsOf(member)).toHaveLength(1);
  });

  it('When Stripe does not answer, then the refund stays pending, and asking Stripe again settles it with the same key', async () => {
    const member = await buyer('silent@example.com');
    warren.stripe.failNextRefunds(3); // the SDK's first try and its two retries
    const { result } = await refund(member, { amount: '30', reason: 'requested_by_customer' });
    const [row] = await rowsOf(member);
    expect(row).toMatchObject({ status: 'pending', pendingKey: member.purchase.id, error: 'Something went wrong on our end.' });
    const page = (await admin.get(result.headers.location).expect(200)).text;
    expect(page).toContain('Stripe did not answer');
    const retry = `${member.memberPage}/refunds/${row!.id}/retry`;
    expect(page).toContain(`action="${retry}"`);
    expectStatus(await submitForm(admin, member.memberPage, retry), 303);
    expect(await warren.db.adminRefund.findUniqueOrThrow({ where: { id: row!.id } })).toMatchObject({ status: 'succeeded', pendingKey: null });
    expect(warren.stripe.refundCreations().filter((call) => call.idempotencyKey === `admin-refund:${row!.id}`)).toHaveLength(4);
    expect(stripeRefundsOf(member).map((made) => made.amount)).toEqual([3000]);
    expectStatus(await submitForm(admin, member.memberPage, member.action, { reason: 'duplicate' }), 200);
    expect(await warren.db.adminRefund.findUniqueOrThrow({ where: { id: row!.id } })).toMatchObject({ status: 'succeeded' });
  });

  it("When Stripe's charge.refunded overtakes the admin's full refund, then access ends once and the member gets only the refund notice", async () => {
    const member = await buyer('overtaken@example.com');
    warren.stripe.failNextRefunds(3);
    await refund(member, { amount: '', reason: 'requested_by_customer' });
    const [row] = await rowsOf(member);
    expect(row!.status).toBe('pending');
    // Stripe made the refund after all, and its webhook arrives before the admin's request is settled.
    await deliver(warren, 'charge.refunded', warren.stripe.charge(warren.stripe.sessions.get(member.sessionId)!, 'full')).expect(200);
    expect(await standingOf(member)).toMatchObject({ purchase: 'refunded', entitlement: { status: 'revoked' } });
    expectStatus(await submitForm(admin, member.memberPage, `${member.memberPage}/refunds/${row!.id}/retry`), 303);
    expect((await rowsOf(member))[0]).toMatchObject({ status: 'succeeded' });
    expect((await outboxOf('overtaken@example.com')).map((mail) => mail.template).filter((template) => template.startsWith('access') || template.startsWith('refund'))).toEqual([
      'refund-notice',
    ]);
  });

  it("When Stripe made the refund but its answer was lost, and the admin asks Stripe again after Stripe forgot the key (24 hours), then the refund already made is found and settled, not made twice", async () => {
    const member = await buyer('forgotten-key@example.com');
    warren.stripe.loseNextRefundAnswers(3); // the SDK's first try (which refunds) and its two retries
    await refund(member, { amount: '30', reason: 'requested_by_customer' });
    const [row] = await rowsOf(member);
    expect(row!.status).toBe('pending');
    expect(stripeRefundsOf(member).map((made) => made.amount)).toEqual([3000]);
    warren.stripe.forgetIdempotencyKeys();
    expectStatus(await submitForm(admin, member.memberPage, `${member.memberPage}/refunds/${row!.id}/retry`), 303);
    expect(stripeRefundsOf(member).map((made) => made.amount)).toEqual([3000]);
    expect((await rowsOf(member))[0]).toMatchObject({ status: 'succeeded', stripeRefundId: stripeRefundsOf(member)[0]!.id, pendingKey: null });
    expect((await outboxOf('forgotten-key@example.com')).filter((mail) => mail.template === 'refund-notice')).toHaveLength(1);
  });

  it('When someone who is not an admin posts a refund, then it is refused and nothing changes', async () => {
    const member = await buyer('sneaky@example.com');
    const page = await member.agent.get('/account').expect(200);
    const fields = { amount: '', reason: 'duplicate', refundId: randomUUID(), confirm: 'yes', _csrf: csrfToken(page.text) };
    expectStatus(await member.agent.post(member.action).type('form').send(fields), 403);
    expectStatus(await request(warren.app).post(member.action).type('form').send(fields), 403);
    expect(stripeRefundsOf(member)).toEqual([]);
    expect(await rowsOf(member)).toEqual([]);
  });
});
