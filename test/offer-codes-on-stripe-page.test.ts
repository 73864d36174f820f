import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyThesis, csrfToken, DEMO_SLUG, expectStatus, startWarren, type Warren } from './support/harness.ts';
import { deliver, standing } from './support/payments.ts';
import { ADMIN, signInAdmin } from './support/signals.ts';

/**
 * With STRIPE_PROMOTION_CODES on, Stripe's page takes any active promotion code, and an offer's coupon
 * cannot be tied to a thesis in Stripe: "only for its thesis" must also hold when the code is typed there.
 */
describe("An offer's code typed on Stripe's page", () => {
  let warren: Warren;
  let otherId: string;
  let demoId: string;

  beforeAll(async () => {
    warren = await startWarren({ STRIPE_PROMOTION_CODES: 'true', ADMIN_EMAILS: ADMIN });
    const demo = await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
    demoId = demo.id;
    const { id: _id, ...copy } = demo;
    otherId = (await warren.db.thesis.create({ data: { ...copy, slug: 'other-thesis', title: 'The Other Thesis' }, select: { id: true } })).id;
  });
  afterAll(() => warren.close());

  async function makeOffer(thesisId: string, code: string) {
    const admin = await signInAdmin(warren);
    const page = expectStatus(await admin.get('/admin/offers'), 200);
    expectStatus(await admin.post('/admin/offers').type('form').send({ thesisId, kind: 'percent', percentOff: '100', code, _csrf: csrfToken(page.text) }), 303);
    return warren.db.offer.findUniqueOrThrow({ where: { code } });
  }

  it("When another thesis's review-copy code is typed on Stripe's page, then the session is refused and grants nothing", async () => {
    const offer = await makeOffer(otherId, 'OTHERFREE');
    const email = 'crossed@example.com';
    const { sessionId } = await buyThesis(warren, email);
    const session = warren.stripe.payWithFullDiscount(sessionId, email, offer.stripePromotionCodeId!);
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    expect(await standing(warren, email)).toEqual({ entitlement: null, purchases: [] });
    expect(await warren.db.adminAlert.count({ where: { dedupeKey: `checkout-refused:${session.id}` } })).toBe(1);
  });

  it("When this thesis's own offer code is typed on Stripe's page, then it is a sale recorded with its offer", async () => {
    const offer = await makeOffer(demoId, 'OWNFREE');
    const email = 'own-code@example.com';
    const { sessionId } = await buyThesis(warren, email);
    const session = warren.stripe.payWithFullDiscount(sessionId, email, offer.stripePromotionCodeId!);
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    expect(await standing(warren, email)).toEqual({ entitlement: 'active', purchases: ['paid'] });
    expect(await warren.db.purchase.findUniqueOrThrow({ where: { checkoutSessionId: session.id } })).toMatchObject({ offerId: offer.id, amount: 0 });
  });
});
