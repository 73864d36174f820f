import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, expectStatus, signInByEmail, startWarren, submitForm, type Warren } from './support/harness.ts';
import { verifiedMember } from './support/payments.ts';

const ADMIN = 'publisher@example.com';
const BUYER = 'buyer@example.com';
type Agent = ReturnType<typeof request.agent>;

describe('Admin: members, entitlements and exports', () => {
  let warren: Warren;
  let admin: Agent;
  let buyer: Agent;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    const createdAt = warren.clock.now();
    await warren.db.user.createMany({ data: [{ email: ADMIN, createdAt }, { email: 'guest@example.com', createdAt }, { email: '=cmd|calc@example.com', createdAt }] });
    ({ agent: buyer } = await verifiedMember(warren, BUYER));
    ({ agent: admin } = await signInByEmail(warren, ADMIN));
  });
  afterAll(() => warren.close());

  const memberId = async (email: string) => (await warren.db.user.findUniqueOrThrow({ where: { email } })).id;

  it('When the admin opens the dashboard, then the members section is listed', async () => {
    expect((await admin.get('/admin').expect(200)).text).toContain('href="/admin/members"');
  });

  it('When the admin searches members, then matching addresses are listed and others are not', async () => {
    const all = await admin.get('/admin/members').expect(200);
    expect(all.text).toContain(BUYER);
    expect(all.text).toContain('guest@example.com');
    const found = await admin.get('/admin/members?q=BUY').expect(200);
    expect(found.text).toContain(BUYER);
    expect(found.text).not.toContain('guest@example.com');
    expect(found.headers['cache-control']).toBe('private, no-store');
  });

  it("When the admin opens a member, then their purchases and entitlements show", async () => {
    const page = await admin.get(`/admin/members/${await memberId(BUYER)}`).expect(200);
    expect(page.text).toContain('$75 CAD');
    expect(page.text).toMatch(/purchase<\/td><td data-label="Status">active/);
    await admin.get('/admin/members/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('When the admin grants a complimentary entitlement, then the guest reads the members\' layer', async () => {
    const guestId = await memberId('guest@example.com');
    const thesis = await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
    expectStatus(await submitForm(admin, `/admin/members/${guestId}`, `/admin/members/${guestId}/grant`, { thesisId: thesis.id }), 303);
    const adminUser = await warren.db.user.findUniqueOrThrow({ where: { email: ADMIN } });
    expect(await warren.db.entitlement.findFirstOrThrow({ where: { userId: guestId } })).toMatchObject({
      source: 'grant',
      status: 'active',
      grantedById: adminUser.id,
    });
    const { agent: guest } = await signInByEmail(warren, 'guest@example.com');
    expect((await guest.get(`/theses/${DEMO_SLUG}`)).text).toContain('id="members-layer"');
    await expectStatus(await submitForm(admin, `/admin/members/${guestId}`, `/admin/members/${guestId}/grant`, { thesisId: 'not-a-uuid' }), 400);
  });

  it('When the admin revokes an entitlement, then the member sees the paywall at once, and a later dispute win does not restore it', async () => {
    const buyerId = await memberId(BUYER);
    expect((await buyer.get(`/theses/${DEMO_SLUG}`)).text).toContain('id="members-layer"');
    const entitlement = await warren.db.entitlement.findFirstOrThrow({ where: { userId: buyerId } });
    const action = `/admin/members/${buyerId}/entitlements/${entitlement.id}/revoke`;
    expectStatus(await submitForm(admin, `/admin/members/${buyerId}`, action), 303);
    expect(await warren.db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).toMatchObject({ status: 'revoked', revokedReason: 'admin' });
    const page = await buyer.get(`/theses/${DEMO_SLUG}`).expect(200);
    expect(page.text).toContain('id="paywall"');
    expect(page.text).not.toContain('id="members-layer"');
  });

  it('When the admin exports members and purchases, then CSV files come back, with formulas defused', async () => {
    const members = await admin.get('/admin/members/export.csv').expect(200);
    expect(members.headers['content-type']).toContain('text/csv');
    expect(members.headers['content-disposition']).toContain('warren-members.csv');
    expect(members.text.split('\r\n')[0]).toBe('"email","joined","email_alerts","active_theses"');
    expect(members.text).toContain(`"guest@example.com"`);
    expect(members.text).toContain(`"'=cmd|calc@example.com"`);
    const purchases = await admin.get('/admin/members/purchases.csv').expect(200);
    expect(purchases.text).toContain(`"${BUYER}","${DEMO_SLUG}","75.00","CAD","paid"`);
  });

  it('When a non-admin asks for the exports, then 403', async () => {
    await buyer.get('/admin/members/export.csv').expect(403);
    await buyer.get('/admin/members/purchases.csv').expect(403);
  });
});
