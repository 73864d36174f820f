import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, buyThesis, startWarren, type Warren } from './support/harness.ts';
import { signInWithoutPurchase } from './support/signals.ts';

const THESIS = `/theses/${DEMO_SLUG}`;
const TITLE = 'The Decode Singularity';

/** What every success page links to, whoever opens it. */
function expectNextSteps(html: string) {
  expect(html).toContain(`You bought <a href="${THESIS}"><cite>${TITLE}</cite></a>.`);
  expect(html).toContain(`<a href="${THESIS}">The thesis: ${TITLE}</a>`);
  expect(html).toContain(`<a href="${THESIS}/signals">The signal board</a>`);
  expect(html).toContain('<a href="/account#alerts">Alert settings</a>');
}

describe('The checkout success page', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren();
  });
  afterAll(() => warren.close());

  it('When a member signed in from their inbox buys, then the page names the thesis, the address the receipt went to, and links onward', async () => {
    const buyer = 'signed.in.buyer@example.com';
    const { agent } = await signInWithoutPurchase(warren, buyer);
    const { sessionId } = await buyThesis(warren, buyer, DEMO_SLUG, agent);
    const page = await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expectNextSteps(page.text);
    expect(page.text).toContain(`Your receipt, with a sign-in link, is on its way to <strong>${buyer}</strong>.`);
  });

  it('When a new buyer comes back in the browser that paid (an unverified session), then the thesis is named but not the address', async () => {
    const buyer = 'first.time.buyer@example.com';
    const { agent, sessionId } = await buyThesis(warren, buyer);
    const page = await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    expect(page.text).toContain('This browser can read this thesis for the next 24 hours');
    expectNextSteps(page.text);
    expect(page.text).toContain('is on its way to the address you paid with.');
    expect(page.text).not.toContain(buyer);
    // Back again with that session (the buyer's account, unproven): still signed in, still no address.
    const again = await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    expect(again.text).toContain(`<a class="button" href="${THESIS}#members-layer">Read the members' layer</a>`);
    expect(again.text).not.toContain(buyer);
  });

  it('When the success URL is opened by another browser, signed out or signed in as someone else, then the buyer\'s address never shows', async () => {
    const buyer = 'private.buyer@example.com';
    const { agent: buyerBrowser } = await signInWithoutPurchase(warren, buyer);
    const { sessionId } = await buyThesis(warren, buyer, DEMO_SLUG, buyerBrowser);
    const url = `/checkout/success?session_id=${sessionId}`;
    const forwarded = await request(warren.app).get(url).expect(200);
    expectNextSteps(forwarded.text);
    expect(forwarded.text).not.toContain(buyer);

    const { agent: other } = await signInWithoutPurchase(warren, 'someone.else@example.com');
    const elsewhere = await other.get(url).expect(200);
    expect(elsewhere.text).toContain('This browser is signed in as <strong>someone.else@example.com</strong>');
    expect(elsewhere.text).not.toContain(buyer);
  });
});
