import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createSiteServer } from '../server/app.ts';
import { APP_URL, ATTESTED, DEMO_SLUG, csrfToken, expectStatus, startWarren, type Warren } from './support/harness.ts';
import { deliver, standing } from './support/payments.ts';
import { ADMIN, signInAdmin, signInWithoutPurchase } from './support/signals.ts';

type Agent = ReturnType<typeof request.agent>;
const DAY = 24 * 60 * 60 * 1000;
/** A date `days` after the test clock's today, as the form's date field writes it. */
const dayAfter = (warren: Warren, days: number) => new Date(warren.clock.now().getTime() + days * DAY).toISOString().slice(0, 10);

describe('Offers: a coupon and promotion code in Stripe, a link that applies it', () => {
  let warren: Warren;
  let admin: Agent;
  let demoId: string;
  let otherSlug: string;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
    const demo = await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
    demoId = demo.id;
    const { id: _id, ...copy } = demo;
    otherSlug = (await warren.db.thesis.create({ data: { ...copy, slug: 'second-thesis', title: 'The Second Thesis' }, select: { slug: true } })).slug;
  });
  afterAll(() => warren.close());
  beforeEach(() => warren.deps.catalog.contentChanged());

  async function createOffer(fields: Record<string, string>) {
    const page = expectStatus(await admin.get('/admin/offers'), 200);
    return admin
      .post('/admin/offers')
      .type('form')
      .send({ thesisId: demoId, kind: 'percent', percentOff: '20', ...fields, _csrf: csrfToken(page.text) });
  }
  const offerRow = (code: string) => warren.db.offer.findUniqueOrThrow({ where: { code } });

  /** Follows an offer link as a visitor: the thesis page, its buy button, the buy form, posted. */
  async function checkoutWithLink(code: string, slug = DEMO_SLUG) {
    const agent = request.agent(warren.app);
    const thesis = expectStatus(await agent.get(`/theses/${slug}?offer=${code}`), 200);
    const buyHref = /href="(\/theses\/[^"]+\/buy[^"]*)"/.exec(thesis.text)![1]!;
    const buy = expectStatus(await agent.get(buyHref), 200);
    const attempt = /name="attempt" value="([^"]+)"/.exec(buy.text)![1]!;
    const offerField = /name="offer" value="([^"]+)"/.exec(buy.text)?.[1];
    const checkout = await agent
      .post(`/theses/${slug}/checkout`)
      .type('form')
      .send({ attempt, ...ATTESTED, ...(offerField && { offer: offerField }), _csrf: csrfToken(buy.text) });
    return { thesis, buyHref, buy, checkout, agent };
  }
  const sessionOf = (checkout: { headers: Record<string, string> }) => warren.stripe.sessions.get(new URL(checkout.headers.location!).pathname.split('/').pop()!)!;

  it('When the admin creates an offer, then Stripe gets one coupon and one promotion code with keys from our id, and a retry with the same keys makes nothing more', async () => {
    const before = warren.stripe.discountRequests().length;
    const created = expectStatus(await createOffer({ code: 'spring20', expiresOn: dayAfter(warren, 30), maxRedemptions: '5' }), 303);
    const offer = await offerRow('SPRING20');
    expect(created.headers.location).toBe(`/admin/offers?created=${offer.id}`);
    expect(offer).toMatchObject({ percentOff: 20, amountOff: null, currency: 'cad', maxRedemptions: 5, endedAt: null });
    const requests = warren.stripe.discountRequests().slice(before);
    expect(requests.map((r) => [r.path, r.idempotencyKey])).toEqual([
      ['/v1/coupons', `offer-coupon:${offer.id}`],
      ['/v1/promotion_codes', `offer-promotion-code:${offer.id}`],
    ]);
    expect(requests[0]!.params).toMatchObject({ percent_off: '20', duration: 'once' });
    expect(requests[1]!.params).toMatchObject({ code: 'SPRING20', max_redemptions: '5', promotion: { type: 'coupon', coupon: offer.stripeCouponId } });
    expect(Number(requests[1]!.params.expires_at)).toBe(Math.floor(offer.expiresAt!.getTime() / 1000));
    const [coupons, codes] = [warren.stripe.coupons.size, warren.stripe.promotionCodes.size];

    // The retry route sends the same keys: the fake (as Stripe) answers the first objects and makes none.
    await warren.db.offer.update({ where: { id: offer.id }, data: { stripeCouponId: null, stripePromotionCodeId: null } });
    const list = expectStatus(await admin.get('/admin/offers'), 200);
    expect(list.text).toContain('Try again in Stripe');
    expectStatus(await admin.post(`/admin/offers/${offer.id}/retry`).type('form').send({ _csrf: csrfToken(list.text) }), 303);
    expect([warren.stripe.coupons.size, warren.stripe.promotionCodes.size]).toEqual([coupons, codes]);
    expect(await offerRow('SPRING20')).toMatchObject({ stripeCouponId: offer.stripeCouponId, stripePromotionCodeId: offer.stripePromotionCodeId });

    const page = expectStatus(await admin.get(`/admin/offers?created=${offer.id}`), 200);
    expect(page.text).toContain(`value="${APP_URL}/theses/${DEMO_SLUG}?offer&#x3D;SPRING20" readonly`);
    expect(page.text).toContain('<td data-label="Status">active</td>');
    expect(page.text).toContain('<a href="/admin/offers" aria-current="page"');
  });

  it('When a form field is wrong, then the page is a 400 naming it, and nothing is written here or sent to Stripe', async () => {
    await expectStatus(await createOffer({ code: 'TAKEN1' }), 303);
    const cases: [Record<string, string>, string, string][] = [
      [{ code: 'no-dashes' }, 'code', 'The code must be 3 to 32 letters'],
      [{ code: 'AB' }, 'code', 'The code must be 3 to 32 letters'],
      [{ code: 'taken1' }, 'code', 'The code TAKEN1 is already used by another offer'],
      [{ code: 'PCT0', percentOff: '0' }, 'percentOff', 'The percentage off must be a whole number from 1 to 100'],
      [{ code: 'PCT101', percentOff: '101' }, 'percentOff', 'The percentage off must be a whole number from 1 to 100'],
      [{ code: 'AMT1', kind: 'amount', amountOff: '75.01' }, 'amountOff', 'The amount off must be more than zero and at most $75 CAD'],
      [{ code: 'AMT2', kind: 'amount', amountOff: '0' }, 'amountOff', 'The amount off must be more than zero'],
      [{ code: 'KIND1', kind: 'free' }, 'kind', 'Choose a percentage off or an amount off.'],
      [{ code: 'EXP1', expiresOn: dayAfter(warren, -1) }, 'expiresOn', 'The expiry must be today or later'],
      [{ code: 'EXP2', expiresOn: '2026-02-31' }, 'expiresOn', 'The expiry must be a date like 2026-12-31'],
      [{ code: 'MAX1', maxRedemptions: '0' }, 'maxRedemptions', 'The maximum number of uses must be a whole number of at least 1'],
      [{ code: 'MAX2', maxRedemptions: '2.5' }, 'maxRedemptions', 'The maximum number of uses must be a whole number of at least 1'],
      [{ code: 'THESIS1', thesisId: 'not-a-thesis' }, 'thesisId', 'Choose the thesis this offer is for.'],
    ];
    const [offers, requests] = [await warren.db.offer.count(), warren.stripe.discountRequests().length];
    for (const [fields, field, message] of cases) {
      const res = expectStatus(await createOffer(fields), 400);
      expect(res.text, field).toContain(`<p class="field-error" id="${field}-error"><span aria-hidden="true">⚠ </span>${message}`);
      expect(res.text, field).toContain(`aria-describedby="${field}-error"`);
    }
    expect(await warren.db.offer.count()).toBe(offers);
    expect(warren.stripe.discountRequests()).toHaveLength(requests);
  });

  it('When Stripe fails while making an offer, then the offer is saved pending and unusable, and "Try again" makes exactly one coupon and one code', async () => {
    const coupons = warren.stripe.coupons.size;
    warren.stripe.failNextDiscountCreations(3); // the first try and the SDK's two retries
    const failed = expectStatus(await createOffer({ code: 'OUTAGE5', percentOff: '5' }), 502);
    expect(failed.text).toContain('It is saved but not usable');
    const pending = await offerRow('OUTAGE5');
    expect(pending).toMatchObject({ stripeCouponId: null, stripePromotionCodeId: null });
    expect(pending.lastError).toBeTruthy();
    expect(warren.stripe.coupons.size).toBe(coupons);

    // Its link applies nothing: the visitor is told and offered the full price.
    const { thesis, checkout } = await checkoutWithLink('OUTAGE5');
    expect(thesis.text).toContain('The offer code OUTAGE5 is not valid. You can still buy this thesis at the full price.');
    expect(sessionOf(checkout)).toMatchObject({ amount_total: 7500, metadata: { thesisId: demoId } });
    expect(sessionOf(checkout).discounts).toBeUndefined();

    const list = expectStatus(await admin.get('/admin/offers'), 200);
    expectStatus(await admin.post(`/admin/offers/${pending.id}/retry`).type('form').send({ _csrf: csrfToken(list.text) }), 303);
    expectStatus(await admin.post(`/admin/offers/${pending.id}/retry`).type('form').send({ _csrf: csrfToken(list.text) }), 303);
    expect(warren.stripe.coupons.size).toBe(coupons + 1);
    expect([...warren.stripe.promotionCodes.values()].filter((code) => code.code === 'OUTAGE5')).toHaveLength(1);
    expect(await offerRow('OUTAGE5')).toMatchObject({ lastError: null, stripePromotionCodeId: expect.stringMatching(/^promo_/) });
  });

  it('When a visitor follows an offer link, then the page shows the notice, the checkout applies the promotion code with our offer id, and the purchase records the offer', async () => {
    expectStatus(await createOffer({ code: 'LINK20', expiresOn: '' }), 303);
    const offer = await offerRow('LINK20');
    const { thesis, buyHref, buy, checkout } = await checkoutWithLink('link20');
    expect(thesis.text).toContain('Offer LINK20: 20 % off');
    expect(thesis.headers['cache-control']).toBe('private, no-store');
    expect(buyHref).toBe(`/theses/${DEMO_SLUG}/buy?offer=LINK20`);
    expect(buy.text).toContain('<input type="hidden" name="offer" value="LINK20">');
    expectStatus(checkout, 303);
    const creation = warren.stripe.sessionCreations().at(-1)!;
    expect(await warren.db.checkoutAttempt.findUniqueOrThrow({ where: { checkoutSessionId: sessionOf(checkout).id } })).toMatchObject({ offerId: offer.id, promotionCodes: false });
    expect(creation.params).toMatchObject({ discounts: [{ promotion_code: offer.stripePromotionCodeId }], metadata: { thesisId: demoId, offerId: offer.id } });
    expect(creation.params.allow_promotion_codes).toBeUndefined();
    const session = sessionOf(checkout);
    expect(session).toMatchObject({ amount_subtotal: 7500, amount_total: 6000, total_details: { amount_discount: 1500 } });

    warren.stripe.pay(session.id, 'linked@example.com');
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    const purchase = await warren.db.purchase.findUniqueOrThrow({ where: { checkoutSessionId: session.id } });
    expect(purchase).toMatchObject({ offerId: offer.id, amount: 6000, discountAmount: 1500, promotionCode: offer.stripePromotionCodeId, status: 'paid' });
    expect(await standing(warren, 'linked@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
    const list = expectStatus(await admin.get('/admin/offers'), 200);
    expect(list.text).toMatch(/<code>LINK20<\/code>[\s\S]*?<td data-label="Redeemed">1<\/td>/);
  });

  it('When the buy form comes back with a box unticked, then the offer is kept on the form', async () => {
    expectStatus(await createOffer({ code: 'KEEP20' }), 303);
    const agent = request.agent(warren.app);
    const buy = expectStatus(await agent.get(`/theses/${DEMO_SLUG}/buy?offer=KEEP20`), 200);
    const attempt = /name="attempt" value="([^"]+)"/.exec(buy.text)![1]!;
    const sessions = warren.stripe.sessionCreations().length;
    const again = expectStatus(
      await agent.post(`/theses/${DEMO_SLUG}/checkout`).type('form').send({ attempt, qualifiedInvestor: 'yes', acceptTerms: 'yes', offer: 'KEEP20', _csrf: csrfToken(buy.text) }),
      400,
    );
    expect(again.text).toContain('Please confirm all three statements');
    expect(again.text).toContain('<input type="hidden" name="offer" value="KEEP20">');
    expect(warren.stripe.sessionCreations()).toHaveLength(sessions);
  });

  it('When a session names our offer but carries another promotion code, then it is refused and grants nothing', async () => {
    expectStatus(await createOffer({ code: 'CROSS10', percentOff: '10' }), 303);
    const { checkout } = await checkoutWithLink('CROSS10');
    const session = warren.stripe.pay(sessionOf(checkout).id, 'cross@example.com');
    await deliver(warren, 'checkout.session.completed', { ...session, discounts: [{ coupon: 'coupon_x', promotion_code: 'promo_someone_elses' }] }).expect(200);
    expect(await standing(warren, 'cross@example.com')).toEqual({ entitlement: null, purchases: [] });
    expect(await warren.db.adminAlert.count({ where: { dedupeKey: `checkout-refused:${session.id}` } })).toBe(1);
  });

  it('When a code is unknown, ended, expired, used up or for another thesis, then the pages say so plainly and the checkout is at the full price', async () => {
    expectStatus(await createOffer({ code: 'SOON1', expiresOn: dayAfter(warren, 1) }), 303);
    expectStatus(await createOffer({ code: 'ONCE1', maxRedemptions: '1' }), 303);
    expectStatus(await createOffer({ code: 'ENDME1' }), 303);
    const used = await checkoutWithLink('ONCE1');
    await deliver(warren, 'checkout.session.completed', warren.stripe.pay(sessionOf(used.checkout).id, 'once@example.com')).expect(200);
    const ended = await offerRow('ENDME1');
    const list = expectStatus(await admin.get('/admin/offers'), 200);
    expectStatus(await admin.post(`/admin/offers/${ended.id}/end`).type('form').send({ confirm: 'yes', _csrf: csrfToken(list.text) }), 303);
    warren.clock.advance(2 * DAY);

    const refusals: [string, string, string?][] = [
      ['NOSUCH1', 'The offer code NOSUCH1 is not valid.'],
      ['ENDME1', 'The offer ENDME1 has ended.'],
      ['SOON1', 'The offer SOON1 has expired.'],
      ['ONCE1', 'The offer ONCE1 has been used as many times as it allowed.'],
      ['LINK20', 'The offer LINK20 is for another thesis (The Decode Singularity).', otherSlug],
      ['not a code!', 'That offer code is not valid.'],
    ];
    for (const [code, message, slug] of refusals) {
      const { thesis, buyHref, buy, checkout } = await checkoutWithLink(encodeURIComponent(code), slug);
      expect(thesis.text, code).toContain(`${message} You can still buy this thesis at the full price.`);
      expect(buyHref, code).toBe(`/theses/${slug ?? DEMO_SLUG}/buy`);
      expect(buy.text, code).not.toContain('name="offer"');
      expectStatus(checkout, 303);
      expect(sessionOf(checkout).amount_total, code).toBe(7500);
      expect(sessionOf(checkout).metadata.offerId, code).toBeUndefined();
    }

    // The buy form posted with a code that stopped applying (it ended after the page was shown): a 400 that
    // explains, no session made, and a fresh form at the full price.
    const agent = request.agent(warren.app);
    const buy = expectStatus(await agent.get(`/theses/${DEMO_SLUG}/buy`), 200);
    const sessions = warren.stripe.sessionCreations().length;
    const attempt = /name="attempt" value="([^"]+)"/.exec(buy.text)![1]!;
    const refused = expectStatus(await agent.post(`/theses/${DEMO_SLUG}/checkout`).type('form').send({ attempt, ...ATTESTED, offer: 'ENDME1', _csrf: csrfToken(buy.text) }), 400);
    expect(refused.text).toContain('The offer ENDME1 has ended. You can still buy this thesis at the full price.');
    expect(refused.text).not.toContain('name="offer"');
    expect(warren.stripe.sessionCreations()).toHaveLength(sessions);
    expect(await warren.db.checkoutAttempt.count({ where: { id: attempt } })).toBe(0);
  });

  it('When the cached public page is asked with and without ?offer=, then only the link gets the notice and the cache keeps the plain page', async () => {
    expectStatus(await createOffer({ code: 'CACHE30', percentOff: '30' }), 303);
    const visitor = () => request(warren.app).get(`/theses/${DEMO_SLUG}`);
    const plain = expectStatus(await visitor(), 200);
    expect(plain.headers['cache-control']).toBe('public, max-age=60');
    expect(warren.deps.catalog.publicPages.size).toBe(1);
    const linked = expectStatus(await request(warren.app).get(`/theses/${DEMO_SLUG}?offer=CACHE30`), 200);
    expect(linked.text).toContain('Offer CACHE30: 30 % off');
    expect(linked.text).toContain(`href="/theses/${DEMO_SLUG}/buy?offer=CACHE30"`);
    expect(linked.headers['cache-control']).toBe('private, no-store');
    const again = expectStatus(await request(warren.app).get(`/theses/${DEMO_SLUG}?offer=CACHE30`), 200);
    expect(again.text).toContain('Offer CACHE30: 30 % off');
    // Not stored under its own URL, and the plain page others get stays plain.
    expect(warren.deps.catalog.publicPages.size).toBe(1);
    const after = expectStatus(await visitor(), 200);
    expect(after.text).toBe(plain.text);
    expect(after.text).not.toContain('CACHE30');
    expect(after.text).toContain(`href="/theses/${DEMO_SLUG}/buy"`);
  });

  it('When the front server holds the plain page, then a link with ?offer= still gets its notice, and the plain page stays plain', async () => {
    expectStatus(await createOffer({ code: 'FRONT25', percentOff: '25' }), 303);
    const server = createSiteServer(warren.deps, warren.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = (path: string) =>
      new Promise<{ body: string; cacheControl?: string }>((resolve, reject) => {
        http
          .get(`${base}${path}`, { agent: false }, (res) => {
            let body = '';
            res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ body, cacheControl: res.headers['cache-control'] }));
          })
          .on('error', reject);
      });
    try {
      const plain = await get(`/theses/${DEMO_SLUG}`);
      expect((await get(`/theses/${DEMO_SLUG}`)).body).toBe(plain.body); // now answered before Express
      const linked = await get(`/theses/${DEMO_SLUG}?offer=FRONT25`);
      expect(linked.body).toContain('Offer FRONT25: 25 % off');
      expect(linked.cacheControl).toBe('private, no-store');
      expect((await get(`/theses/${DEMO_SLUG}?offer=FRONT25`)).body).toContain('Offer FRONT25: 25 % off');
      const after = await get(`/theses/${DEMO_SLUG}`);
      expect(after.body).toBe(plain.body);
      expect(after.body).not.toContain('FRONT25');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('When an amount-off offer is made, then Stripe gets amount_off in the thesis currency and the link takes that amount off', async () => {
    const before = warren.stripe.discountRequests().length;
    expectStatus(await createOffer({ code: 'MINUS1250', kind: 'amount', amountOff: '12.50', percentOff: '' }), 303);
    const coupon = warren.stripe.discountRequests()[before]!;
    expect(coupon.params).toMatchObject({ amount_off: '1250', currency: 'cad', duration: 'once' });
    expect(coupon.params.percent_off).toBeUndefined();
    const { thesis, checkout } = await checkoutWithLink('MINUS1250');
    expect(thesis.text).toContain('Offer MINUS1250: $12.50 CAD off');
    expect(sessionOf(checkout)).toMatchObject({ amount_total: 6250, total_details: { amount_discount: 1250 } });
  });

  it('When Stripe refuses the code as the session is made (it ended there first), then the buyer is told and offered the full price, and no attempt is kept', async () => {
    expectStatus(await createOffer({ code: 'GONE10', percentOff: '10' }), 303);
    const offer = await offerRow('GONE10');
    warren.stripe.promotionCodes.get(offer.stripePromotionCodeId!)!.active = false;
    const attempts = await warren.db.checkoutAttempt.count();
    const { checkout } = await checkoutWithLink('GONE10');
    expectStatus(checkout, 400);
    expect(checkout.text).toContain('Stripe no longer accepts the offer GONE10. You can still buy this thesis at the full price.');
    expect(checkout.text).not.toContain('name="offer"');
    expect(await warren.db.checkoutAttempt.count()).toBe(attempts);
  });

  it('When a review copy (100 %) is claimed, then the session has nothing to pay and no payment intent, and the purchase is granted at 0 with its offer and no refund offered', async () => {
    expectStatus(await createOffer({ code: 'PRESS100', percentOff: '100' }), 303);
    const offer = await offerRow('PRESS100');
    const { thesis, checkout } = await checkoutWithLink('PRESS100');
    expect(thesis.text).toContain('Review copy: free');
    const session = warren.stripe.pay(sessionOf(checkout).id, 'press@example.com');
    expect(session).toMatchObject({ amount_total: 0, payment_status: 'no_payment_required', payment_intent: null, status: 'complete' });
    await deliver(warren, 'checkout.session.completed', session).expect(200);
    const purchase = await warren.db.purchase.findUniqueOrThrow({ where: { checkoutSessionId: session.id } });
    expect(purchase).toMatchObject({ amount: 0, discountAmount: 7500, offerId: offer.id, paymentIntentId: null, status: 'paid' });
    expect(await standing(warren, 'press@example.com')).toEqual({ entitlement: 'active', purchases: ['paid'] });
    await warren.deliverMail();
    const receipt = warren.inbox.to('press@example.com').find((mail) => mail.subject?.startsWith('Your receipt'))!;
    expect(receipt.text).toContain('Amount:    $0 CAD (nothing was charged)');

    const member = await warren.db.user.findUniqueOrThrow({ where: { email: 'press@example.com' } });
    const page = expectStatus(await admin.get(`/admin/members/${member.id}`), 200);
    expect(page.text).not.toContain(`/purchases/${purchase.id}/refund`);
    expect(page.text).toContain('$0 CAD <span class="small">($75 CAD off with the offer <code>PRESS100</code>)</span>');
    // Its numbered receipt (the admin may open any) shows the whole price taken off and nothing paid.
    const { number } = await warren.db.receipt.findUniqueOrThrow({ where: { purchaseId: purchase.id } });
    const receiptText = expectStatus(await admin.get(`/account/receipts/${number}`), 200).text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(receiptText).toContain('Subtotal $75.00 CAD');
    expect(receiptText).toContain('Discount −$75.00 CAD');
    expect(receiptText).toContain('Total (CAD) $0.00 CAD');
  });

  it('When the admin ends an offer, then a POST without confirm only asks, the confirmed one deactivates the code in Stripe, and ending again is harmless', async () => {
    expectStatus(await createOffer({ code: 'STOP15', percentOff: '15' }), 303);
    const offer = await offerRow('STOP15');
    const list = expectStatus(await admin.get('/admin/offers'), 200);
    const ask = expectStatus(await admin.post(`/admin/offers/${offer.id}/end`).type('form').send({ _csrf: csrfToken(list.text) }), 200);
    expect(ask.text).toContain('End the offer STOP15?');
    expect((await offerRow('STOP15')).endedAt).toBeNull();
    expect(warren.stripe.promotionCodes.get(offer.stripePromotionCodeId!)!.active).toBe(true);

    const end = () => admin.post(`/admin/offers/${offer.id}/end`).type('form').send({ confirm: 'yes', _csrf: csrfToken(ask.text) });
    expectStatus(await end(), 303);
    const ended = await offerRow('STOP15');
    expect(ended.endedAt).toEqual(warren.clock.now());
    expect(warren.stripe.promotionCodes.get(offer.stripePromotionCodeId!)!.active).toBe(false);
    const updates = warren.stripe.requests.filter((r) => r.path === `/v1/promotion_codes/${offer.stripePromotionCodeId}`);
    expect(updates.map((r) => r.params)).toEqual([{ active: 'false' }]);
    warren.clock.advance(1000);
    expectStatus(await end(), 303);
    expect((await offerRow('STOP15')).endedAt).toEqual(ended.endedAt);
    expect(expectStatus(await admin.get('/admin/offers'), 200).text).toMatch(/<code>STOP15<\/code>[\s\S]*?<td data-label="Status">ended<\/td>/);
  });

  it('When a member who is not an admin asks for the offers page or posts to it, then they are refused and nothing is made', async () => {
    const { agent } = await signInWithoutPurchase(warren, 'reader@example.com');
    const home = expectStatus(await agent.get('/account'), 200);
    const [offers, requests] = [await warren.db.offer.count(), warren.stripe.discountRequests().length];
    expectStatus(await agent.get('/admin/offers'), 403);
    expectStatus(await agent.post('/admin/offers').type('form').send({ thesisId: demoId, kind: 'percent', percentOff: '50', code: 'SNEAKY1', _csrf: csrfToken(home.text) }), 403);
    expect(await request(warren.app).get('/admin/offers').expect(303)).toBeTruthy();
    expect(await warren.db.offer.count()).toBe(offers);
    expect(warren.stripe.discountRequests()).toHaveLength(requests);
  });
});
