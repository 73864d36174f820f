import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLUG, expectStatus, startWarren, submitForm, type Warren } from './support/harness.ts';
import { ADMIN, buyAndSignIn, signInAdmin } from './support/signals.ts';
import { submittedFields } from './support/editor-form.ts';

type Agent = Awaited<ReturnType<typeof signInAdmin>>;
const MEMBER = 'refunded-later@example.com';

async function editMemberBody(admin: Agent, slug: string, index: number, edit: (body: string) => string) {
  const page = await admin.get(`/admin/theses/${slug}`).expect(200);
  let seen = -1;
  const fields = submittedFields(page.text, `/admin/theses/${slug}`).map(([name, value]): [string, string] =>
    name === 'memberBody' && ++seen === index ? [name, edit(value.replace(/\r\n/g, '\n'))] : [name, value],
  );
  return expectStatus(await admin.post(`/admin/theses/${slug}`).type('form').send(new URLSearchParams(fields).toString()), 303);
}

describe('A section alert queued before access ended', () => {
  let warren: Warren;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
  });
  afterAll(async () => {
    await warren.close();
  });

  it('is not delivered (with the members\' text) to a member whose access ended before delivery', async () => {
    const admin = await signInAdmin(warren);
    await buyAndSignIn(warren, MEMBER);
    await warren.deliverMail();
    warren.clock.advance(60_000);
    // Queued for the member, in the save's transaction, not yet delivered (SMTP slow, worker behind, retries).
    await editMemberBody(admin, DEMO_SLUG, 0, (body) => `${body}\n\nSECRET-AFTER-REFUND sizing rule.`);
    expect(await warren.db.outboxMessage.count({ where: { template: 'section-alert', recipient: MEMBER } })).toBe(1);
    // The member's access ends (refund, lost dispute, admin revoke) before the alert goes out.
    const user = await warren.db.user.findUniqueOrThrow({ where: { email: MEMBER } });
    const entitlement = await warren.db.entitlement.findFirstOrThrow({ where: { userId: user.id } });
    expectStatus(await submitForm(admin, `/admin/members/${user.id}`, `/admin/members/${user.id}/entitlements/${entitlement.id}/revoke`), 303);
    expect((await warren.db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).status).toBe('revoked');
    await warren.deliverMail();
    const leaked = warren.inbox.to(MEMBER).filter((mail) => mail.text?.includes('SECRET-AFTER-REFUND'));
    expect(leaked).toHaveLength(0);
  });
});
