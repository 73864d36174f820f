import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ATTESTED, csrfToken, DEMO_SLUG, expectStatus, startWarren, type Warren } from './support/harness.ts';
import { deliver, standing } from './support/payments.ts';
import { ADMIN, signInAdmin } from './support/signals.ts';

/**
 * A review copy's limits are checked when its session is made; sessions made before the code ran out
 * or was ended may still complete later (up to a day). With nothing paid, refusing them costs no one anything.
 */
describe('Free review-copy sessions completed after their offer ran out', () => {
  let warren: Warren;
  let demoId: string;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    demoId = (await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } })).id;
  });
  afterAll(() => warren.close());

  async function makeOffer(code: string, fields: Record<string, string> = {}) {
    const admin = await signInAdmin(warren);
    const page = expectStatus(await admin.get('/admin/offers'), 200);
    expectStatus(await admin.post('/admin/offers').type('form').send({ thesisId: demoId, kind: 'percent', percentOff: '100', code, ...fields, _csrf: csrfToken(page.text) }), 303);
    return { admin, offer: await warren.db.offer.findUniqueOrThrow({ where: { code } }) };
  }

  /** A visitor follows the link and is sent to Stripe: the session id. */
  async function sessionFromLink(code: string) {
    const agent = request.agent(warren.app);
    const buy = expectStatus(await agent.get(`/theses/${DEMO_SLUG}/buy?offer=${code}`), 200);
    const attempt = /name="attempt" value="([^"]+)"/.exec(buy.text)![1]!;
    const checkout = expectStatus(await agent.post(`/theses/${DEMO_SLUG}/checkout`).type('form').send({ attempt, ...ATTESTED, offer: code, _csrf: csrfToken(buy.text) }), 303);
    return new URL(checkout.headers.location!).pathname.split('/').pop()!;
  }

  it('When two free sessions of a one-use review copy were made before either completed, then only the first completion is granted', async () => {
    await makeOffer('ONEUSE', { maxRedemptions: '1' });
    const [first, second] = [await sessionFromLink('ONEUSE'), await sessionFromLink('ONEUSE')];
    await deliver(warren, 'checkout.session.completed', warren.stripe.pay(first, 'first-reviewer@example.com')).expect(200);
    const late = warren.stripe.pay(second, 'second-reviewer@example.com');
    expect(late.amount_total).toBe(0);
    await deliver(warren, 'checkout.session.completed', late).expect(200);
    expect(await standing(warren, 'first-reviewer@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
    expect(await standing(warren, 'second-reviewer@example.com')).toEqual({ entitlement: null, purchases: [] });
    expect(await warren.db.adminAlert.count({ where: { dedupeKey: `checkout-refused:${second}` } })).toBe(1);
  });

  it('When a free session was made before the admin ended its review copy, then its completion is refused', async () => {
    const { admin, offer } = await makeOffer('ENDEDFREE');
    const sessionId = await sessionFromLink('ENDEDFREE');
    const list = expectStatus(await admin.get('/admin/offers'), 200);
    expectStatus(await admin.post(`/admin/offers/${offer.id}/end`).type('form').send({ confirm: 'yes', _csrf: csrfToken(list.text) }), 303);
    await deliver(warren, 'checkout.session.completed', warren.stripe.pay(sessionId, 'after-end@example.com')).expect(200);
    expect(await standing(warren, 'after-end@example.com')).toEqual({ entitlement: null, purchases: [] });
  });
});
