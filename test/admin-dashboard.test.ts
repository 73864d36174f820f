import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLUG, buyThesis, expectStatus, signInByEmail, startWarren, submitForm, type Warren } from './support/harness.ts';
import { deliver, verifiedMember } from './support/payments.ts';
import { ADMIN, demoSignals, recordUpdate, signInAdmin, signInWithoutPurchase } from './support/signals.ts';

const DAY = 24 * 60 * 60 * 1000;

/** The cells of a table row marked `data-…="value"`, tags stripped, joined by |. */
function row(html: string, table: string, attribute: string): string | undefined {
  const body = new RegExp(`<table class="admin-table ${table}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
  const cells = new RegExp(`<tr ${attribute}[^>]*>(.*?)</tr>`).exec(body)?.[1];
  return cells?.replace(/<span class="small">.*?<\/span>/g, '').replace(/<\/t[hd]><t[hd][^>]*>/g, '|').replace(/<[^>]+>/g, '').trim();
}
const byId = (html: string, id: string) => new RegExp(`id="${id}">([^<]*)<`).exec(html)?.[1];
const csvLines = (text: string) => text.split('\r\n').filter(Boolean);

describe('The dashboard: revenue, funnel, members, mail and signals for a period', () => {
  let warren: Warren;
  let admin: Awaited<ReturnType<typeof signInAdmin>>;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN, STRIPE_PROMOTION_CODES: 'true' });
    admin = await signInAdmin(warren);
  });
  afterAll(() => warren.close());

  /** A checkout through the buy page, paid on the fake Stripe as `pay` says, and fulfilled by its webhook. */
  async function sale(email: string, pay: (sessionId: string) => unknown = (id) => warren.stripe.pay(id, email)) {
    const { sessionId } = await buyThesis(warren, email);
    pay(sessionId);
    await deliver(warren, 'checkout.session.completed', warren.stripe.sessions.get(sessionId)).expect(200);
    return warren.stripe.sessions.get(sessionId)!;
  }

  it('When sales are taxed, discounted, refunded in part and in full, and disputed, then each revenue column and the CSV show exactly those amounts', async () => {
    // Arrange: six CAD sales today through the buy page and Stripe's events.
    await sale('taxed@example.com', (id) => warren.stripe.payWithTax(id, 'taxed@example.com', 975)); // $84.75, $9.75 of it tax
    await sale('plain@example.com'); // $75
    await sale('free@example.com', (id) => warren.stripe.payWithFullDiscount(id, 'free@example.com')); // $0, $75 off
    const refunded = await sale('refunded@example.com');
    await deliver(warren, 'charge.refunded', warren.stripe.charge(refunded, 'full')).expect(200);
    const disputed = await sale('disputed@example.com');
    await deliver(warren, 'charge.dispute.created', warren.stripe.dispute(disputed, 'needs_response')).expect(200);
    await deliver(warren, 'charge.dispute.closed', warren.stripe.dispute(disputed, 'lost')).expect(200);
    // A member who signed in, then got $25.50 back from the admin (the purchase stays paid).
    await verifiedMember(warren, 'partial@example.com');
    const partial = await warren.db.user.findUniqueOrThrow({ where: { email: 'partial@example.com' }, include: { purchases: true } });
    const memberPage = `/admin/members/${partial.id}`;
    const action = `${memberPage}/purchases/${partial.purchases[0].id}/refund`;
    const confirm = expectStatus(await submitForm(admin, memberPage, action, { amount: '25.50', reason: 'requested_by_customer', note: '' }), 200);
    const fields = Object.fromEntries([...confirm.text.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map(([, name, value]) => [name, value]));
    expectStatus(await admin.post(action).type('form').send(fields), 303);
    // A USD thesis price later: its sale is never added to the Canadian dollars.
    await warren.db.thesis.update({ where: { slug: DEMO_SLUG }, data: { currency: 'usd', priceAmount: 5000 } });
    await warren.deps.catalog.contentChanged();
    await sale('usd@example.com');

    // Act
    const page = (await admin.get('/admin?period=7&granularity=day').expect(200)).text;
    const csv = csvLines((await admin.get('/admin/analytics.csv?table=revenue&period=7&granularity=day').expect(200)).text);

    // Assert: gross 84.75 + 4 × 75 + 0; tax 9.75; refunds 75 + 25.50; the lost dispute 75; net = gross − tax − refunds − disputes.
    const today = warren.clock.now().toISOString().slice(0, 10);
    expect(row(page, 'dashboard-revenue" data-currency="CAD', `data-bucket="${today}"`)).toBe(`${today}|6|$384.75 CAD|$75 CAD|$9.75 CAD|$100.50 CAD|$75 CAD|$199.50 CAD`);
    expect(row(page, 'dashboard-revenue" data-currency="CAD', 'data-total')).toBe('Total|6|$384.75 CAD|$75 CAD|$9.75 CAD|$100.50 CAD|$75 CAD|$199.50 CAD');
    expect(row(page, 'dashboard-revenue" data-currency="CAD', `data-thesis="${DEMO_SLUG}"`)).toBe('The Decode Singularity|6|$384.75 CAD|$75 CAD|$9.75 CAD|$100.50 CAD|$75 CAD|$199.50 CAD');
    expect(row(page, 'dashboard-revenue" data-currency="USD', 'data-total')).toBe('Total|1|$50 USD|$0 USD|$0 USD|$0 USD|$0 USD|$50 USD');
    expect(csv[0]).toBe('"currency","bucket","thesis","purchases","gross","discounts","tax","refunds","disputes","net"');
    expect(csv).toContain(`"cad","${today}","all","6","384.75","75.00","9.75","100.50","75.00","199.50"`);
    expect(csv).toContain(`"cad","${today}","${DEMO_SLUG}","6","384.75","75.00","9.75","100.50","75.00","199.50"`);
    expect(csv).toContain(`"cad","period","${DEMO_SLUG}","6","384.75","75.00","9.75","100.50","75.00","199.50"`);
    expect(csv).toContain('"cad","period","all","6","384.75","75.00","9.75","100.50","75.00","199.50"');
    expect(csv).toContain('"usd","period","all","1","50.00","0.00","0.00","0.00","0.00","50.00"');
    // Per currency: seven days for all theses, seven days and the period for the one thesis, and the total.
    expect(csv).toHaveLength(1 + 2 * (7 + 7 + 1 + 1));

    // The funnel across theses: seven checkouts, five still paid, two refunded or disputed.
    expect(row(page, 'dashboard-funnel', 'data-step="checkouts_started"')).toBe('Checkouts started|7|—');
    expect(row(page, 'dashboard-funnel', 'data-step="paid"')).toBe('Paid|5|71.4%');
    expect(row(page, 'dashboard-funnel', 'data-step="refunded_or_disputed"')).toBe('Refunded or disputed|2|28.6%');
    expect(row(page, 'dashboard-theses', `data-thesis="${DEMO_SLUG}"`)).toBe('The Decode Singularity|0|0|7|5|2|0|—');
    expect(page).toContain(`<a href="/admin/theses/${DEMO_SLUG}/analytics?days=7">The Decode Singularity</a>`);
    const funnelCsv = csvLines((await admin.get('/admin/analytics.csv?table=funnel&period=7').expect(200)).text);
    expect(funnelCsv).toContain('"paid","5","71.4%","checkouts started"');

    // Members: seven new today; the one who signed in is active.
    expect(byId(page, 'members-new')).toBe('7');
    expect(byId(page, 'members-active')).toBe('1');
  });

  it("When sales made 10 days ago are looked at by week and by month, then they are in that sale's week and month and outside the last 7 days", async () => {
    warren.clock.advance(10 * DAY);
    const week = (await admin.get('/admin?period=7&granularity=week').expect(200)).text;
    expect(week).toContain('id="no-revenue"');
    const month = (await admin.get('/admin?period=30&granularity=week').expect(200)).text;
    expect(row(month, 'dashboard-revenue" data-currency="CAD', 'data-bucket="week of 2026-11-23"')).toMatch(/^week of 2026-11-23\|6\|\$384\.75 CAD/);
    const csv = csvLines((await admin.get('/admin/analytics.csv?table=revenue&period=30&granularity=month').expect(200)).text);
    expect(csv).toContain('"cad","2026-11","all","6","384.75","75.00","9.75","100.50","75.00","199.50"');
    expect(csv).toContain(`"cad","2026-12","${DEMO_SLUG}","0","0.00","0.00","0.00","0.00","0.00","0.00"`);
  });

  it('When the period, granularity or table is unknown, then the page and the CSV answer 400 naming what is allowed', async () => {
    const cases: [string, string][] = [
      ['/admin?period=14', 'The period must be 7, 30 or 90 days'],
      ['/admin?period=abc&granularity=day', 'The period must be 7, 30 or 90 days'],
      ['/admin?granularity=year', 'The granularity must be day, week or month'],
      ['/admin?period=7&period=30', 'Each field of this request must appear once'],
      ['/admin/analytics.csv?table=revenue&period=1', 'The period must be 7, 30 or 90 days'],
      ['/admin/analytics.csv?table=secrets', 'The table must be one of revenue, funnel, theses, sources, members, mail, signals, alerts'],
      ['/admin/analytics.csv', 'The table must be one of'],
    ];
    for (const [path, message] of cases) expect([path, (await admin.get(path).expect(400)).text.includes(message)]).toEqual([path, true]);
  });

  it('When someone who is not an admin asks for the dashboard or a CSV, then a stranger is sent to sign in and a member is refused', async () => {
    for (const path of ['/admin', '/admin/analytics.csv?table=revenue']) {
      expect((await request(warren.app).get(path).expect(303)).headers.location).toMatch(/^\/login\?next=/);
    }
    const { agent: member } = await signInByEmail(warren, 'plain@example.com');
    for (const path of ['/admin', '/admin/analytics.csv?table=revenue']) {
      expect((await member.get(path).expect(403)).text).not.toContain('384.75');
    }
  });
});

describe('The dashboard: members, mail health and signals in a scripted period', () => {
  let warren: Warren;
  let admin: Awaited<ReturnType<typeof signInAdmin>>;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
  });
  afterAll(() => warren.close());

  it('When members joined, opted out, mail was retried or failed and signals were updated, then the panels and CSVs show exactly those counts', async () => {
    // Arrange: members who joined 2 and 20 days ago (a grant and purchases) and one 40 days ago.
    const now = warren.clock.now();
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const { thesis, signals } = await demoSignals(warren);
    for (const [n, days] of [2, 2, 20, 40].entries()) {
      const user = await warren.db.user.create({ data: { email: `m${n}@example.com`, createdAt: ago(days), emailAlerts: n !== 1 } });
      await warren.db.entitlement.create({ data: { userId: user.id, thesisId: thesis.id, source: 'grant', createdAt: ago(days), updatedAt: ago(days) } });
      if (n === 2) await warren.db.alertPreference.create({ data: { userId: user.id, thesisId: thesis.id, level: 'none', updatedAt: now } });
    }
    // Mail queued 1 day ago: two sent (one on a second try), one failed after three tries (retried too), one pending; one 40 days ago.
    const mail = (n: number, status: string, attempts: number, days: number) => ({
      dedupeKey: `dash-${n}`, template: 'admin-alert', recipient: ADMIN, payload: '{}', status, attempts, nextAttemptAt: now, createdAt: ago(days),
    });
    await warren.db.outboxMessage.deleteMany();
    await warren.db.outboxMessage.createMany({ data: [mail(1, 'sent', 1, 1), mail(2, 'sent', 2, 1), mail(3, 'failed', 3, 1), mail(4, 'pending', 0, 1), mail(5, 'failed', 3, 40)] });
    // Two signal updates, one of them alerting members.
    await recordUpdate(admin, { signalId: signals[0].id, status: 'strengthening', note: 'Evidence.' });
    await recordUpdate(admin, { signalId: signals[1].id, status: 'weakening', note: 'Against.', alert: true });
    await warren.db.outboxMessage.deleteMany({ where: { createdAt: { gte: now } } });

    // Act
    const page = (await admin.get('/admin?period=30&granularity=week').expect(200)).text;
    const csv = async (table: string) => csvLines((await admin.get(`/admin/analytics.csv?table=${table}&period=30&granularity=week`).expect(200)).text);

    // Assert
    expect(byId(page, 'members-new')).toBe('3');
    expect(byId(page, 'members-active')).toBe('0');
    expect(byId(page, 'members-opt-out-all')).toBe('1');
    expect(byId(page, 'members-opt-out-thesis')).toBe('1');
    expect(row(page, 'dashboard-members', 'data-bucket="week of 2026-11-23"')).toBe('week of 2026-11-23|2');
    expect(row(page, 'dashboard-mail', 'data-mail')).toBe('4|2|2|1');
    expect(row(page, 'dashboard-signals', `data-thesis="${DEMO_SLUG}"`)).toBe('The Decode Singularity|2|1');
    expect(await csv('members')).toEqual([
      '"measure","bucket","count"',
      '"new_members","2026-10-26","0"',
      '"new_members","2026-11-02","1"',
      '"new_members","2026-11-09","0"',
      '"new_members","2026-11-16","0"',
      '"new_members","2026-11-23","2"',
      '"new_members","period","3"',
      '"active_last_30_days","now","0"',
      '"opted_out_of_all_alerts","now","1"',
      '"opted_out_of_a_thesis_alerts","now","1"',
    ]);
    expect(await csv('mail')).toEqual(['"measure","count"', '"queued","4"', '"sent","2"', '"retried","2"', '"failed","1"']);
    expect(await csv('signals')).toEqual(['"thesis","signal_updates","alerts"', `"${DEMO_SLUG}","2","1"`]);
    // Every chart is an image with a title and a description, drawn without a script.
    expect(page.match(/<svg class="chart" id="chart-[a-z-]+" role="img" aria-labelledby="[^"]+"/g)?.length).toBe(2);
    expect(page).toContain('<title id="chart-members-title">New members by week, ');
    expect(page).not.toMatch(/<script(?![^>]*src="\/(local-times)\.js)/);
  });

  it('When a member signs in, then they count as active for 30 days', async () => {
    await signInByEmail(warren, 'm0@example.com');
    expect(byId((await admin.get('/admin').expect(200)).text, 'members-active')).toBe('1');
    warren.clock.advance(31 * DAY);
    const adminAgain = await signInAdmin(warren);
    expect(byId((await adminAgain.get('/admin').expect(200)).text, 'members-active')).toBe('0');
  });

  it('When members open the thesis after an alert, then each is counted once if within a day, and admins, readers without access and late opens are not', async () => {
    // Arrange: two members, a reader without access, and an alert recorded now.
    const admin = await signInAdmin(warren);
    const early = (await verifiedMember(warren, 'early@example.com')).agent;
    const late = (await verifiedMember(warren, 'late@example.com')).agent;
    const { agent: stranger } = await signInWithoutPurchase(warren, 'reader@example.com');
    const { signals } = await demoSignals(warren);
    const sequence = await recordUpdate(admin, { signalId: signals[2].id, status: 'confirmed', note: 'Confirmed.', alert: true });
    warren.clock.advance(60 * 1000);

    // Act: the early member twice, the admin and the reader without access once each; the late member after a day.
    const thesisPage = `/theses/${DEMO_SLUG}`;
    await early.get(thesisPage).expect(200);
    await early.get(thesisPage).expect(200);
    await admin.get(thesisPage).expect(200);
    await stranger.get(thesisPage).expect(200);
    warren.clock.advance(DAY);
    await late.get(thesisPage).expect(200);

    // Assert
    const page = (await admin.get('/admin?period=7').expect(200)).text;
    expect(row(page, 'dashboard-alerts', `data-alert="${DEMO_SLUG}-${sequence}"`)).toMatch(/\|1$/);
    const csv = csvLines((await admin.get('/admin/analytics.csv?table=alerts&period=7').expect(200)).text);
    expect(csv[0]).toBe('"recorded_at","thesis","sequence","kind","what","members_opened_within_a_day"');
    expect(csv.at(-1)).toMatch(new RegExp(`^"[0-9T:.-]+Z","${DEMO_SLUG}","${sequence}","signal","[^"]+","1"$`));
    const opens = await warren.db.alertOpen.findMany();
    const earlyId = (await warren.db.user.findUniqueOrThrow({ where: { email: 'early@example.com' } })).id;
    expect(opens.map((open) => open.userId)).toEqual([earlyId]);
  });
});
