import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { ATTESTED, DEMO_SLUG, csrfToken, expectStatus, startWarren, type Warren } from './support/harness.ts';
import { deliver, standing } from './support/payments.ts';

type Agent = ReturnType<typeof request.agent>;
const ADMIN = 'publisher@example.com';

/** Whoever pays for a gift must never end up signed in to the recipient's account, whatever they type on Stripe's page. */
describe("Gifts and the recipient's account", () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
  });
  afterAll(() => warren.close());

  async function giftPaidAs(agent: Agent, recipientEmail: string, payer: string) {
    const page = expectStatus(await agent.get(`/theses/${DEMO_SLUG}/gift`), 200);
    const attempt = /name="attempt" value="([^"]+)"/.exec(page.text)![1];
    const checkout = expectStatus(await agent.post(`/theses/${DEMO_SLUG}/gift`).type('form').send({ attempt, ...ATTESTED, recipientEmail, message: '', deliverOn: '', _csrf: csrfToken(page.text) }), 303);
    const sessionId = new URL(checkout.headers.location).pathname.split('/').pop()!;
    return warren.stripe.pay(sessionId, payer);
  }

  for (const [label, recipient] of [
    ['a new address', 'victim-new@example.com'],
    ['the admin address', ADMIN],
  ] as const) {
    it(`When a signed-out buyer gifts ${label} and types that same address on Stripe's page, then the success page in their own browser signs no one in`, async () => {
      const attacker = request.agent(warren.app);
      const session = await giftPaidAs(attacker, recipient, recipient);
      const page = expectStatus(await attacker.get(`/checkout/success?session_id=${session.id}`), 200);
      expect(String(page.headers['set-cookie'] ?? '')).not.toContain('warren_session=');
      await deliver(warren, 'checkout.session.completed', session).expect(200);
      expectStatus(await attacker.get(`/checkout/success?session_id=${session.id}`), 200);
      // Still nobody: the account pages send this browser to sign in, the members' layer stays shut.
      expect((await attacker.get('/account')).status).toBe(303);
      expect((await attacker.get('/admin')).status).toBe(303);
      expect((await attacker.get(`/theses/${DEMO_SLUG}`).expect(200)).text).not.toContain('id="members-layer"');
      expect(await standing(warren, recipient)).toEqual({ entitlement: 'active', purchases: ['paid'] });
    });
  }
});
