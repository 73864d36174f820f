import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_SECRET, csrfToken, expectStatus, postWebhook, signInByEmail, startWarren, type Warren } from './support/harness.ts';
import { deliver, paidSession, standing } from './support/payments.ts';
import type { FakeCheckoutSession } from './support/fake-stripe.ts';

const ADMIN = 'publisher@example.com';
const ENDED = 'Your access to The Decode Singularity has ended';
const PAUSED = 'Your access to The Decode Singularity is paused';
const BACK = 'Your access to The Decode Singularity is back';

describe('Every payment outcome reaches the member, once', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
  });
  afterAll(() => warren.close());

  const completed = async (email: string) => {
    const session = await paidSession(warren, email);
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    return session;
  };
  /** The subjects of the access notices (not the receipt) this address received. */
  const notices = async (email: string) => {
    await warren.deliverMail();
    return warren.inbox
      .to(email)
      .map((mail) => mail.subject ?? '')
      .filter((subject) => subject.startsWith('Your access'));
  };
  /** Signs an event once, then delivers that same event (same id) again and again. */
  const signed = (type: string, object: unknown) => warren.stripe.signedEvent(type, object, WEBHOOK_SECRET);
  const dispute = (session: FakeCheckoutSession, status: 'needs_response' | 'won' | 'lost') => warren.stripe.dispute(session, status);

  it('When a charge is fully refunded, then the member is told access ended, once, through replays and a second refund event', async () => {
    const session = await completed('notice.refund@example.com');
    const refund = signed('charge.refunded', warren.stripe.charge(session, 'full'));
    await postWebhook(warren, refund).expect(200);
    await postWebhook(warren, refund).expect(200);
    await deliver(warren, 'charge.refunded', warren.stripe.charge(session, 'full')).expect(200);
    expect(await notices('notice.refund@example.com')).toEqual([ENDED]);
    const mail = warren.inbox.to('notice.refund@example.com').find((m) => m.subject === ENDED)!;
    expect(mail.text).toContain('Your payment was refunded');
  });

  it('When a charge is partly refunded, then access stays and nobody is told it ended', async () => {
    const session = await completed('notice.partial@example.com');
    await deliver(warren, 'charge.refunded', warren.stripe.charge(session, 'partial')).expect(200);
    expect(await notices('notice.partial@example.com')).toEqual([]);
  });

  it('When a dispute opens and is then won, then the member is told access is paused, then back, each once under replays', async () => {
    const email = 'notice.won@example.com';
    const session = await completed(email);
    const opened = signed('charge.dispute.created', dispute(session, 'needs_response'));
    await postWebhook(warren, opened).expect(200);
    await postWebhook(warren, opened).expect(200);
    await deliver(warren, 'charge.dispute.updated', dispute(session, 'needs_response')).expect(200);
    expect(await notices(email)).toEqual([PAUSED]);
    const won = signed('charge.dispute.closed', dispute(session, 'won'));
    await postWebhook(warren, won).expect(200);
    await postWebhook(warren, won).expect(200);
    await postWebhook(warren, opened).expect(200);
    expect(await notices(email)).toEqual([PAUSED, BACK]);
    expect(await standing(warren, email)).toEqual({ entitlement: 'active', purchases: ['paid'] });
    const back = warren.inbox.to(email).find((m) => m.subject === BACK)!;
    expect(back.text).toContain('http://warren.test/theses/decode-singularity');
  });

  it('When a dispute is lost, then the member is told access is paused and then ended, each once', async () => {
    const email = 'notice.lost@example.com';
    const session = await completed(email);
    await deliver(warren, 'charge.dispute.created', dispute(session, 'needs_response')).expect(200);
    // Read the inbox between the two outcomes: mails queued in the same instant may arrive in either order.
    expect(await notices(email)).toEqual([PAUSED]);
    const lost = signed('charge.dispute.closed', dispute(session, 'lost'));
    await postWebhook(warren, lost).expect(200);
    await postWebhook(warren, lost).expect(200);
    expect(await notices(email)).toEqual([PAUSED, ENDED]);
    const mail = warren.inbox.to(email).find((m) => m.subject === ENDED)!;
    expect(mail.text).toContain('dispute closed against the purchase');
  });

  it('When "won" overtakes its "created", then no paused notice goes out (access never changed), and nothing else either', async () => {
    const email = 'notice.won-first@example.com';
    const session = await completed(email);
    await deliver(warren, 'charge.dispute.closed', dispute(session, 'won')).expect(200);
    await deliver(warren, 'charge.dispute.created', dispute(session, 'needs_response')).expect(200);
    expect(await notices(email)).toEqual([]);
    expect(await standing(warren, email)).toEqual({ entitlement: 'active', purchases: ['paid'] });
  });

  it('When "lost" overtakes its "created", then only the notice that access ended goes out', async () => {
    const email = 'notice.lost-first@example.com';
    const session = await completed(email);
    await deliver(warren, 'charge.dispute.closed', dispute(session, 'lost')).expect(200);
    await deliver(warren, 'charge.dispute.created', dispute(session, 'needs_response')).expect(200);
    expect(await notices(email)).toEqual([ENDED]);
  });

  it('When the refund overtakes the completion, then the buyer gets the receipt and one notice that access ended', async () => {
    const email = 'notice.early-refund@example.com';
    const session = await paidSession(warren, email);
    await deliver(warren, 'charge.refunded', warren.stripe.charge(session, 'full')).expect(200);
    const completion = signed('checkout.session.completed', session);
    await postWebhook(warren, completion).expect(200);
    await postWebhook(warren, completion).expect(200);
    expect(await notices(email)).toEqual([ENDED]);
    expect(warren.inbox.to(email).map((mail) => mail.subject)).toContain('Your receipt: The Decode Singularity');
    expect(await standing(warren, email)).toEqual({ entitlement: 'revoked', purchases: ['refunded'] });
  });

  it('When the dispute opens before the completion arrives, then the buyer is told access is paused, once', async () => {
    const email = 'notice.early-dispute@example.com';
    const session = await paidSession(warren, email);
    await deliver(warren, 'charge.dispute.created', dispute(session, 'needs_response')).expect(200);
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    await deliver(warren, 'charge.dispute.updated', dispute(session, 'needs_response')).expect(200);
    expect(await notices(email)).toEqual([PAUSED]);
  });

  it('When an admin revokes an entitlement (form submitted twice), then the member is told once, and nothing after the next refund', async () => {
    const email = 'notice.admin@example.com';
    const session = await completed(email);
    const member = await warren.db.user.findUniqueOrThrow({ where: { email } });
    const entitlement = await warren.db.entitlement.findFirstOrThrow({ where: { userId: member.id } });
    const { agent: admin } = await signInByEmail(warren, ADMIN);
    const page = await admin.get(`/admin/members/${member.id}`).expect(200);
    const action = `/admin/members/${member.id}/entitlements/${entitlement.id}/revoke`;
    for (let n = 0; n < 2; n++) expectStatus(await admin.post(action).type('form').send({ _csrf: csrfToken(page.text) }), 303);
    await deliver(warren, 'charge.refunded', warren.stripe.charge(session, 'full')).expect(200);
    expect(await notices(email)).toEqual([ENDED]);
    const mail = warren.inbox.to(email).find((m) => m.subject === ENDED)!;
    expect(mail.text).toContain('The publisher withdrew the access');
  });
});
