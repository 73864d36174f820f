import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import pino from 'pino';
import { deliverDueGifts } from '../server/checkout/gift-worker.ts';
import { refundDuplicatePayments } from '../server/checkout/duplicate-refunds.ts';
import { createStripeGateway } from '../server/checkout/stripe-gateway.ts';
import { APP_URL, ATTESTED, DEMO_SLUG, WEBHOOK_SECRET, csrfToken, expectStatus, postWebhook, signInByEmail, startWarren, submitForm, type Warren } from './support/harness.ts';
import { deliver, standing, verifiedMember } from './support/payments.ts';
import { HOSTILE, decodeAttribute } from './support/mail-fixtures.ts';

type Agent = ReturnType<typeof request.agent>;
const DAY = 24 * 60 * 60 * 1000;
const ADMIN = 'publisher@example.com';
const GIFT_SUBJECT = 'A gift for you: The Decode Singularity';

describe('Gifts', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
  });
  afterAll(() => warren.close());

  const logger = pino({ level: 'silent' });
  const runJob = () => deliverDueGifts({ db: warren.db, clock: warren.clock, logger });
  const day = (offset = 0) => new Date(warren.clock.now().getTime() + offset * DAY).toISOString().slice(0, 10);

  /** Fills in the gift form as a person would (its nonce and CSRF token), with the confirmations. */
  async function postGift(agent: Agent, fields: Record<string, string>) {
    const page = expectStatus(await agent.get(`/theses/${DEMO_SLUG}/gift`), 200);
    const attempt = /name="attempt" value="([^"]+)"/.exec(page.text)![1];
    return agent.post(`/theses/${DEMO_SLUG}/gift`).type('form').send({ attempt, ...ATTESTED, ...fields, _csrf: csrfToken(page.text) });
  }

  /** A gift bought and paid (completion delivered by webhook), as `payer` on Stripe's page. */
  async function buyGift(fields: Record<string, string>, payer: string, agent = request.agent(warren.app)) {
    const checkout = expectStatus(await postGift(agent, fields), 303);
    const sessionId = new URL(checkout.headers.location).pathname.split('/').pop()!;
    const session = warren.stripe.pay(sessionId, payer);
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    return { agent, session };
  }

  const giftMails = (email: string) => warren.inbox.to(email).filter((mail) => mail.subject === GIFT_SUBJECT);

  it('When a gift dated later is paid, then the payer gets the receipt and no access, and the recipient gets access and the gift e-mail on that date only, once', async () => {
    const message = `Happy birthday!\n\nRead the stress test first. ${HOSTILE.tag}`;
    const { session } = await buyGift({ recipientEmail: ' Later.Recipient@Example.com ', message, deliverOn: day(3) }, 'later-payer@example.com');
    await deliver(warren, 'checkout.session.completed', session).expect(200); // a replay

    await warren.deliverMail();
    const receipt = warren.inbox.to('later-payer@example.com').find((mail) => mail.subject === 'Your receipt: The Decode Singularity')!;
    expect(receipt.text).toContain(`Gift for:  later.recipient@example.com, delivered on ${day(3)}`);
    expect(await standing(warren, 'later-payer@example.com')).toEqual({ entitlement: null, purchases: ['paid'] });
    expect(await standing(warren, 'later.recipient@example.com')).toEqual({ entitlement: null, purchases: [] });

    warren.clock.advance(2 * DAY);
    expect((await runJob()).recipients).toHaveLength(0);
    await warren.deliverMail();
    expect(giftMails('later.recipient@example.com')).toHaveLength(0);

    warren.clock.advance(DAY);
    const [first, second] = await Promise.all([runJob(), runJob()]);
    expect(first.recipients.length + second.recipients.length).toBe(1);
    expect((await runJob()).recipients).toHaveLength(0);
    await warren.deliverMail();
    const gift = giftMails('later.recipient@example.com');
    expect(gift).toHaveLength(1);
    expect(gift[0].text).toContain('Someone has given you "The Decode Singularity"');
    expect(gift[0].text).toContain('Read the stress test first.');
    expect(String(gift[0].html)).not.toContain('<img src=x');
    expect(String(gift[0].html)).toContain('&lt;img src&#x3D;x');
    expect(warren.inbox.to('later-payer@example.com').filter((mail) => mail.subject === GIFT_SUBJECT)).toHaveLength(0);
    expect(await standing(warren, 'later.recipient@example.com')).toEqual({ entitlement: 'active', purchases: [] });
    expect(await standing(warren, 'later-payer@example.com')).toEqual({ entitlement: null, purchases: ['paid'] });
    expect(await warren.db.purchase.count({ where: { checkoutSessionId: session.id } })).toBe(1);

    // The link signs the recipient in, and the members' layer is theirs to read.
    const link = warren.inbox.latestLink('later.recipient@example.com', APP_URL);
    const reader = request.agent(warren.app);
    const token = new URL(link, APP_URL).searchParams.get('token')!;
    expectStatus(await submitForm(reader, link, '/login/verify', { token }), 303);
    expect((await reader.get(`/theses/${DEMO_SLUG}`).expect(200)).text).toContain('id="members-layer"');
  });

  it('When a signed-in member gives a gift dated today, then it is delivered at payment, naming them, and the success page signs no one in', async () => {
    const { agent } = await verifiedMember(warren, 'giver@example.com');
    const checkout = expectStatus(await postGift(agent, { recipientEmail: 'today-recipient@example.com', message: '', deliverOn: '' }), 303);
    const sessionId = new URL(checkout.headers.location).pathname.split('/').pop()!;
    warren.stripe.pay(sessionId, 'giver@example.com');
    const stranger = request.agent(warren.app);
    const page = expectStatus(await stranger.get(`/checkout/success?session_id=${sessionId}`), 200);
    expect(page.text).toContain('Your gift of');
    expect(page.text).not.toContain('today-recipient@example.com');
    // Next steps are the payer's (their gifts), not the reader's board and alerts.
    expect(page.text).toContain('the gifts you have given');
    expect(page.text).not.toContain('Alert settings');
    expect(String(page.headers['set-cookie'] ?? '')).not.toContain('warren_session=');
    await deliver(warren, 'checkout.session.completed', warren.stripe.sessions.get(sessionId)).expect(200);

    await warren.deliverMail();
    const gift = giftMails('today-recipient@example.com');
    expect(gift).toHaveLength(1);
    expect(gift[0].text).toContain('giver@example.com has given you');
    expect(await standing(warren, 'today-recipient@example.com')).toEqual({ entitlement: 'active', purchases: [] });
    // The giver's own purchase and access are untouched; the gift is listed on both accounts.
    expect(await standing(warren, 'giver@example.com')).toEqual({ entitlement: 'active', purchases: ['paid', 'paid'] });
    // An owner sent to the buy page is offered the gift form instead of a second purchase.
    expect((await agent.get(`/theses/${DEMO_SLUG}/buy`).expect(200)).text).toContain(`href="/theses/${DEMO_SLUG}/gift"`);
    const account = (await agent.get('/account').expect(200)).text;
    expect(account).toContain('today-recipient@example.com');
    expect(account).toContain('Delivered');
    const recipient = await signInByEmail(warren, 'today-recipient@example.com');
    expect((await recipient.agent.get('/account').expect(200)).text).toContain('(a gift from giver@example.com)');

    const { agent: admin } = await signInByEmail(warren, ADMIN);
    const giver = await warren.db.user.findUniqueOrThrow({ where: { email: 'giver@example.com' } });
    const receiver = await warren.db.user.findUniqueOrThrow({ where: { email: 'today-recipient@example.com' } });
    expect((await admin.get(`/admin/members/${giver.id}`).expect(200)).text).toContain(`(gift for today-recipient@example.com, ${day()}: delivered)`);
    expect((await admin.get(`/admin/members/${receiver.id}`).expect(200)).text).toContain('(gift from giver@example.com)');
  });

  it('When a delivered gift is refunded, then the recipient loses access and is told; a refunded undelivered gift is never delivered', async () => {
    const { session } = await buyGift({ recipientEmail: 'refunded-recipient@example.com', message: 'Enjoy', deliverOn: day() }, 'refund-payer@example.com');
    expect(await standing(warren, 'refunded-recipient@example.com')).toEqual({ entitlement: 'active', purchases: [] });
    const refund = warren.stripe.signedEvent('charge.refunded', warren.stripe.charge(session, 'full'), WEBHOOK_SECRET);
    await postWebhook(warren, refund).expect(200);
    await postWebhook(warren, refund).expect(200);
    expect(await standing(warren, 'refunded-recipient@example.com')).toEqual({ entitlement: 'revoked', purchases: [] });
    expect(await standing(warren, 'refund-payer@example.com')).toEqual({ entitlement: null, purchases: ['refunded'] });
    await warren.deliverMail();
    expect(warren.inbox.to('refunded-recipient@example.com').filter((mail) => mail.subject === 'Your access to The Decode Singularity has ended')).toHaveLength(1);

    const later = await buyGift({ recipientEmail: 'never-recipient@example.com', message: '', deliverOn: day(2) }, 'refund-payer@example.com');
    await deliver(warren, 'charge.refunded', warren.stripe.charge(later.session, 'full')).expect(200);
    warren.clock.advance(2 * DAY);
    await runJob();
    await warren.deliverMail();
    expect(giftMails('never-recipient@example.com')).toHaveLength(0);
    expect(await warren.db.user.findUnique({ where: { email: 'never-recipient@example.com' } })).toBeNull();
    expect(await warren.db.gift.findUniqueOrThrow({ where: { checkoutSessionId: later.session.id } })).toMatchObject({ deliveredAt: null, cancelledAt: expect.any(Date) });
  });

  it('When the admin refunds a delivered gift from the member page of the payer, then the access of the recipient ends at once and each is told once', async () => {
    await buyGift({ recipientEmail: 'admin-refund-recipient@example.com', message: '', deliverOn: day() }, 'admin-refund-payer@example.com');
    const recipient = await signInByEmail(warren, 'admin-refund-recipient@example.com');
    const readsMembersLayer = async () => (await recipient.agent.get(`/theses/${DEMO_SLUG}`).expect(200)).text.includes('id="members-layer"');
    expect(await readsMembersLayer()).toBe(true);

    const { agent: admin } = await signInByEmail(warren, ADMIN);
    const payer = await warren.db.user.findUniqueOrThrow({ where: { email: 'admin-refund-payer@example.com' }, include: { purchases: true } });
    const memberPage = `/admin/members/${payer.id}`;
    const action = `${memberPage}/purchases/${payer.purchases[0]!.id}/refund`;
    const confirm = expectStatus(await submitForm(admin, memberPage, action, { amount: '', reason: 'requested_by_customer', note: '' }), 200);
    const fields: Record<string, string> = {};
    for (const [, name, value] of confirm.text.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) fields[name!] = decodeAttribute(value!);
    expectStatus(await admin.post(action).type('form').send(fields), 303);

    expect(await readsMembersLayer()).toBe(false);
    expect(await standing(warren, 'admin-refund-recipient@example.com')).toEqual({ entitlement: 'revoked', purchases: [] });
    await warren.deliverMail();
    expect(warren.inbox.to('admin-refund-recipient@example.com').filter((mail) => mail.subject === 'Your access to The Decode Singularity has ended')).toHaveLength(1);
    expect(warren.inbox.to('admin-refund-payer@example.com').filter((mail) => mail.subject === 'Your refund for The Decode Singularity')).toHaveLength(1);
  });

  it('When the recipient buys the thesis before the date of a later gift, then on that date the gift is not delivered: the payment is refunded and the payer told', async () => {
    const { session } = await buyGift({ recipientEmail: 'bought-meanwhile@example.com', message: '', deliverOn: day(5) }, 'early-giver@example.com');
    await verifiedMember(warren, 'bought-meanwhile@example.com');
    warren.clock.advance(5 * DAY);
    await runJob();
    await runJob();
    const row = await warren.db.duplicateRefund.findUniqueOrThrow({ where: { checkoutSessionId: session.id } });
    expect(row).toMatchObject({ paymentIntentId: session.payment_intent, status: 'pending' });
    await warren.deliverMail();
    expect(warren.inbox.to('early-giver@example.com').filter((mail) => mail.subject?.startsWith('Your gift of The Decode Singularity could not be given'))).toHaveLength(1);
    expect(giftMails('bought-meanwhile@example.com')).toHaveLength(0);
    // The refund Stripe then reports leaves the recipient's own purchase alone.
    await deliver(warren, 'charge.refunded', warren.stripe.charge(session, 'full')).expect(200);
    expect(await standing(warren, 'bought-meanwhile@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
  });

  it('When the payment of a gift is disputed, then a delivered gift is paused for its recipient, and a later one waits for the dispute and is cancelled when it is lost', async () => {
    const { session } = await buyGift({ recipientEmail: 'disputed-recipient@example.com', message: '', deliverOn: day() }, 'dispute-payer@example.com');
    await deliver(warren, 'charge.dispute.created', warren.stripe.dispute(session, 'needs_response')).expect(200);
    expect(await standing(warren, 'disputed-recipient@example.com')).toEqual({ entitlement: 'suspended', purchases: [] });
    await deliver(warren, 'charge.dispute.closed', warren.stripe.dispute(session, 'won')).expect(200);
    expect(await standing(warren, 'disputed-recipient@example.com')).toEqual({ entitlement: 'active', purchases: [] });

    const later = await buyGift({ recipientEmail: 'held-recipient@example.com', message: '', deliverOn: day(1) }, 'dispute-payer@example.com');
    await deliver(warren, 'charge.dispute.created', warren.stripe.dispute(later.session, 'needs_response')).expect(200);
    warren.clock.advance(DAY);
    await runJob();
    expect(await warren.db.gift.findUniqueOrThrow({ where: { checkoutSessionId: later.session.id } })).toMatchObject({ deliveredAt: null, cancelledAt: null });
    await deliver(warren, 'charge.dispute.closed', warren.stripe.dispute(later.session, 'lost')).expect(200);
    await runJob();
    expect(await warren.db.gift.findUniqueOrThrow({ where: { checkoutSessionId: later.session.id } })).toMatchObject({ deliveredAt: null, cancelledAt: expect.any(Date) });
    expect(await warren.db.user.findUnique({ where: { email: 'held-recipient@example.com' } })).toBeNull();
  });

  it('When the recipient came to own the thesis after checkout, then the gift is not given: the payment is refunded once and the payer told', async () => {
    const agent = request.agent(warren.app);
    const checkout = expectStatus(await postGift(agent, { recipientEmail: 'owner-later@example.com', message: '', deliverOn: day() }), 303);
    const sessionId = new URL(checkout.headers.location).pathname.split('/').pop()!;
    await verifiedMember(warren, 'owner-later@example.com');
    const session = warren.stripe.pay(sessionId, 'late-giver@example.com');
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    await deliver(warren, 'checkout.session.completed', session).expect(200);

    const refunds = { db: warren.db, clock: warren.clock, logger, stripe: createStripeGateway(warren.config.stripe!, warren.clock) };
    await refundDuplicatePayments(refunds);
    await refundDuplicatePayments(refunds);
    expect(await warren.db.duplicateRefund.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } })).toMatchObject({ status: 'refunded' });
    expect(warren.stripe.refunds.filter((refund) => refund.payment_intent === session.payment_intent)).toHaveLength(1);
    expect(await warren.db.purchase.count({ where: { checkoutSessionId: sessionId } })).toBe(0);
    await warren.deliverMail();
    const told = warren.inbox.to('late-giver@example.com').filter((mail) => mail.subject === 'Your gift of The Decode Singularity could not be given: your payment is refunded');
    expect(told).toHaveLength(1);
    expect(giftMails('owner-later@example.com')).toHaveLength(0);
  });

  it('When the gift goes to an owner of the thesis or to the buyer themselves, then it is refused before payment with a 400 naming the address', async () => {
    await verifiedMember(warren, 'already-owner@example.com');
    const { agent } = await verifiedMember(warren, 'self-giver@example.com');
    const before = { sessions: warren.stripe.sessionCreations().length, gifts: await warren.db.gift.count() };
    const owner = expectStatus(await postGift(request.agent(warren.app), { recipientEmail: 'Already-Owner@example.com', deliverOn: day() }), 400);
    expect(owner.text).toContain('id="recipientEmail-error"');
    expect(owner.text).toContain('That address can already read this thesis');

    const self = expectStatus(await postGift(agent, { recipientEmail: 'self-giver@example.com', deliverOn: day() }), 400);
    expect(self.text).toContain('id="recipientEmail-error"');
    expect(self.text).toContain('That is your own address');
    expect(self.text).toContain(`/theses/${DEMO_SLUG}/buy`);
    expect({ sessions: warren.stripe.sessionCreations().length, gifts: await warren.db.gift.count() }).toEqual(before);
  });

  it.each([
    ['recipientEmail', 'not an address', { recipientEmail: 'not an address' }],
    ['recipientEmail', 'a header injection', { recipientEmail: 'a@example.com\r\nBcc: b@example.com' }],
    ['message', 'over 1,000 characters', { message: 'x'.repeat(1001) }],
    ['deliverOn', 'not a date', { deliverOn: 'yesterday' }],
    ['deliverOn', 'a day that does not exist', { deliverOn: '2026-02-30' }],
    ['deliverOn', 'in the past', { deliverOn: 'past' }],
    ['deliverOn', 'more than 365 days ahead', { deliverOn: 'too-far' }],
  ])('When the gift form has a bad %s (%s), then the page answers 400 naming it and nothing is created', async (field, _why, fields) => {
    const dates: Record<string, string> = { past: day(-1), 'too-far': day(367) };
    const sent = { recipientEmail: 'fine@example.com', message: '', deliverOn: day(), ...fields };
    if (sent.deliverOn in dates) sent.deliverOn = dates[sent.deliverOn]!;
    const before = { sessions: warren.stripe.sessionCreations().length, gifts: await warren.db.gift.count(), attempts: await warren.db.checkoutAttempt.count() };
    const res = expectStatus(await postGift(request.agent(warren.app), sent), 400);
    expect(res.text).toContain(`id="${field}-error"`);
    expect(res.text).toContain('Nothing was saved');
    expect({ sessions: warren.stripe.sessionCreations().length, gifts: await warren.db.gift.count(), attempts: await warren.db.checkoutAttempt.count() }).toEqual(before);
  });

  it('When the gift form comes without its CSRF token, unticked or for an unknown thesis, then it is refused and nothing is created', async () => {
    const before = { sessions: warren.stripe.sessionCreations().length, gifts: await warren.db.gift.count() };
    const agent = request.agent(warren.app);
    const fields = { recipientEmail: 'csrf@example.com', deliverOn: day(), ...ATTESTED };
    expectStatus(await agent.post(`/theses/${DEMO_SLUG}/gift`).type('form').send(fields), 403);
    const unticked = expectStatus(await postGift(agent, { recipientEmail: 'csrf@example.com', deliverOn: day(), notAdvice: '' }), 400);
    expect(unticked.text).toContain('id="confirm-notAdvice-error"');
    expect(unticked.text).toContain('value="csrf@example.com"');
    expectStatus(await agent.get('/theses/no-such-thesis/gift'), 404);
    expect({ sessions: warren.stripe.sessionCreations().length, gifts: await warren.db.gift.count() }).toEqual(before);
  });

  it('When the buy page is shown, then it offers to buy the thesis as a gift', async () => {
    const page = expectStatus(await request(warren.app).get(`/theses/${DEMO_SLUG}/buy`), 200);
    expect(page.text).toContain(`href="/theses/${DEMO_SLUG}/gift"`);
    const form = expectStatus(await request(warren.app).get(`/theses/${DEMO_SLUG}/gift`), 200);
    expect(form.text).toContain(`value="${day()}"`);
  });
});
