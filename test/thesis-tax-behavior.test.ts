import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, expectStatus, startCheckout, startWarren, type Warren } from './support/harness.ts';
import { submittedFields } from './support/editor-form.ts';
import { ADMIN, signInAdmin } from './support/signals.ts';

type Agent = Awaited<ReturnType<typeof signInAdmin>>;
const EDITOR = `/admin/theses/${DEMO_SLUG}`;

/** The editor's form as the browser would send it, with some fields changed. */
async function saveEditor(admin: Agent, changes: Record<string, string>) {
  const page = await admin.get(EDITOR).expect(200);
  const fields = submittedFields(page.text, EDITOR).map(([name, value]): [string, string] => [name, name in changes ? changes[name]! : value]);
  return admin.post(EDITOR).type('form').send(new URLSearchParams(fields).toString());
}

/** Every place a visitor sees the price: the offer under the tagline, the paywall, the buy page and the home page. */
async function pricesShown(warren: Warren) {
  const visitor = request(warren.app);
  const thesis = (await visitor.get(`/theses/${DEMO_SLUG}`).expect(200)).text;
  return {
    offer: /<p class="offer-price">(.*?)<\/p>/.exec(thesis)?.[1],
    paywall: /<p class="offer">(.*?)<\/p>/.exec(thesis)?.[1],
    buy: /<dt>Price<\/dt><dd>(.*?)<\/dd>/.exec((await visitor.get(`/theses/${DEMO_SLUG}/buy`).expect(200)).text)?.[1],
    home: (await visitor.get('/').expect(200)).text,
  };
}

describe('A thesis price that includes or excludes sales tax, with Stripe Tax on', () => {
  let warren: Warren;
  let admin: Agent;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN, STRIPE_AUTOMATIC_TAX: 'true' });
    admin = await signInAdmin(warren);
  });
  afterAll(() => warren.close());

  it('When the price excludes tax (the default), then every page says tax is added and Checkout is sent tax_behavior exclusive', async () => {
    const shown = await pricesShown(warren);
    expect(shown.offer).toBe('<span class="price">$75 CAD</span>, plus applicable tax · one-time payment, not a subscription');
    expect(shown.paywall).toBe('Single Thesis — <span class="price">$75 CAD</span>, plus applicable tax');
    expect(shown.buy).toBe('<strong>$75 CAD</strong>, plus applicable tax, one-time payment, not a subscription');
    expect(shown.home).toContain('$75 CAD, plus applicable tax');

    expectStatus(await startCheckout(request.agent(warren.app)), 303);
    const sent = warren.stripe.sessionCreations().at(-1)!.params.line_items as { price_data: { tax_behavior?: string } }[];
    expect(sent[0]!.price_data.tax_behavior).toBe('exclusive');
  });

  it('When the editor is sent an unknown tax behaviour, then it answers 400 with the problem at the field and nothing changes', async () => {
    const before = await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG }, select: { taxBehavior: true, revision: true } });
    const res = expectStatus(await saveEditor(admin, { taxBehavior: 'tax-free' }), 400);
    expect(res.text).toContain('Nothing was saved');
    expect(res.text).toContain('id="taxBehavior-error"><span aria-hidden="true">⚠ </span>must be exclusive (tax added) or inclusive (tax included)</p>');
    expect(res.text).toContain('id="taxBehavior" name="taxBehavior" aria-invalid="true"');
    expect(await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG }, select: { taxBehavior: true, revision: true } })).toEqual(before);
  });

  it('When the admin makes the price tax-inclusive, then it is stored, every page says tax is included and Checkout is sent tax_behavior inclusive', async () => {
    expectStatus(await saveEditor(admin, { taxBehavior: 'inclusive' }), 303);
    expect((await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } })).taxBehavior).toBe('inclusive');
    expect((await admin.get(EDITOR).expect(200)).text).toContain('<option value="inclusive" selected>Tax included in the price</option>');

    const shown = await pricesShown(warren);
    expect(shown.offer).toBe('<span class="price">$75 CAD</span>, tax included · one-time payment, not a subscription');
    expect(shown.paywall).toBe('Single Thesis — <span class="price">$75 CAD</span>, tax included');
    expect(shown.buy).toBe('<strong>$75 CAD</strong>, tax included, one-time payment, not a subscription');
    expect(shown.home).toContain('$75 CAD, tax included');

    expectStatus(await startCheckout(request.agent(warren.app)), 303);
    const sent = warren.stripe.sessionCreations().at(-1)!.params.line_items as { price_data: { tax_behavior?: string } }[];
    expect(sent[0]!.price_data.tax_behavior).toBe('inclusive');
  });
});

describe('A thesis price without Stripe Tax', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  it('When Stripe Tax is off, then the price is shown alone, whatever its tax behaviour: it is what the buyer pays', async () => {
    await warren.db.thesis.update({ where: { slug: DEMO_SLUG }, data: { taxBehavior: 'inclusive', revision: { increment: 1 } } });
    const shown = await pricesShown(warren);
    expect(shown.offer).toBe('<span class="price">$75 CAD</span> · one-time payment, not a subscription');
    expect(shown.paywall).toBe('Single Thesis — <span class="price">$75 CAD</span>');
    expect(shown.buy).toBe('<strong>$75 CAD</strong>, one-time payment, not a subscription');
    expect(shown.home).not.toContain('tax');
  });
});
