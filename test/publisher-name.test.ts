import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, buyThesis, signInByEmail, startWarren, type Warren } from './support/harness.ts';

const NAME = 'Northern Ledger Research';
const BUYER = 'buyer@example.com';

describe('One publisher name, from PUBLISHER_NAME', () => {
  let warren: Warren;
  beforeAll(async () => {
    // No MAIL_FROM: the sender's name is built from the publisher's.
    warren = await startWarren({ PUBLISHER_NAME: NAME, MAIL_FROM: undefined });
  });
  afterAll(() => warren.close());

  it('When a visitor opens any page, then the title, the header and the footer carry the configured name and no other', async () => {
    for (const path of ['/', `/theses/${DEMO_SLUG}`, '/terms']) {
      const res = await request(warren.app).get(path).expect(200);
      expect(res.text, path).toMatch(new RegExp(`<title>[^<]* · ${NAME}</title>`));
      expect(res.text, path).toContain(`<a class="brand" href="/">${NAME}</a>`);
      expect(res.text.slice(res.text.indexOf('<footer')), path).toContain(NAME);
      expect(res.text, path).not.toMatch(/Warren Research|>Warren</);
    }
  });

  it('When the demo thesis is seeded, then its footer and disclosure name the configured publisher', async () => {
    const res = await request(warren.app).get(`/theses/${DEMO_SLUG}`).expect(200);
    expect(res.text).toContain(`${NAME} · Calgary`);
    expect(res.text).toContain(`None. ${NAME} received no compensation`);
  });

  it('When a buyer pays, then the receipt e-mail comes from the publisher by name, and names it as the seller and in its footer', async () => {
    const { agent, sessionId } = await buyThesis(warren, BUYER);
    await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
    await warren.deliverMail();
    const [receipt] = warren.inbox.to(BUYER);
    expect(receipt.from?.value).toEqual([{ name: NAME, address: 'no-reply@localhost' }]);
    expect(receipt.text).toContain(`Sold by:   ${NAME}`);
    expect(receipt.text).toContain(`${NAME} · For qualified investors only.`);
    expect(receipt.html).toContain(`<td>${NAME}</td>`);
    const member = (await signInByEmail(warren, BUYER)).agent;
    const page = await member.get('/account').expect(200);
    const receiptPath = /href="(\/account\/purchases\/[^"]+)"/.exec(page.text)?.[1];
    expect(receiptPath).toBeDefined();
    expect((await member.get(receiptPath!).expect(200)).text).toContain(`<th scope="row">Sold by</th><td>${NAME}</td>`);
  });

  it('When a feed reader fetches the RSS feed, then the channel is titled with the configured name', async () => {
    const res = await request(warren.app).get('/feed.xml').expect(200);
    expect(res.text).toContain(`<title>${NAME}</title>`);
    expect(res.text).toContain(`Research theses from ${NAME}`);
  });
});
