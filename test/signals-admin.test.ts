import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, expectStatus, submitForm, startWarren, type Warren } from './support/harness.ts';
import { adminRoutesOf } from './support/routes.ts';
import { ADMIN, ADMIN_PAGE, demoSignals, recordUpdate, signInAdmin, signInWithoutPurchase } from './support/signals.ts';
import { verifyChain } from '../server/signals/hash-chain.ts';
import { toChained } from '../server/signals/signal-log.repo.ts';

const SECOND_ADMIN = 'editor@example.com';

describe('Recording signal updates in the admin area', () => {
  let warren: Warren;
  let admin: Awaited<ReturnType<typeof signInAdmin>>;
  let signals: Awaited<ReturnType<typeof demoSignals>>['signals'];
  let thesisId: string;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: `${ADMIN},${SECOND_ADMIN}` });
    admin = await signInAdmin(warren);
    ({ signals, thesis: { id: thesisId } } = await demoSignals(warren));
  });
  afterAll(() => warren.close());

  const chain = async () => (await warren.db.signalUpdate.findMany({ where: { thesisId }, orderBy: { sequence: 'asc' } })).map(toChained);

  it('When the admin opens the dashboard, then a Signals section leads to each thesis and its signals page', async () => {
    const dashboard = await admin.get('/admin').expect(200);
    expect(dashboard.text).toContain('href="/admin/signals"');
    const index = await admin.get('/admin/signals').expect(200);
    expect(index.text).toContain(`href="${ADMIN_PAGE}"`);
    const page = await admin.get(ADMIN_PAGE).expect(200);
    for (const signal of signals) expect(page.text).toContain(signal.title);
    expect(page.text).toContain('name="_csrf"');
    expect(page.text).toContain('Alert members by e-mail');
  });

  it('When the admin records a move with a dated note and a source, then it is appended with the server time and the previous status', async () => {
    warren.clock.advance(60_000);
    const sequence = await recordUpdate(admin, {
      signalId: signals[0].id,
      status: 'strengthening',
      occurredOn: '2026-11-24',
      note: 'Published price list **undercuts** the GPU clouds.',
      sourceUrl: 'https://example.com/prices',
    });
    expect(sequence).toBe(1);
    const [row] = await warren.db.signalUpdate.findMany({ where: { thesisId } });
    expect(row).toMatchObject({
      sequence: 1,
      signalId: signals[0].id,
      signalTitle: signals[0].title,
      status: 'strengthening',
      previousStatus: 'watching',
      note: 'Published price list **undercuts** the GPU clouds.',
      sourceUrl: 'https://example.com/prices',
      correctsSequence: null,
      alert: false,
      prevHash: '0'.repeat(64),
    });
    expect(row.occurredAt.toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(row.recordedAt.toISOString()).toBe(warren.clock.now().toISOString());
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await warren.db.signal.findUniqueOrThrow({ where: { id: signals[0].id } })).status).toBe('strengthening');

    const page = await admin.get(`${ADMIN_PAGE}?recorded=1`).expect(200);
    expect(page.text).toContain('Update #1 recorded.');
    expect(page.text).toContain('<strong>undercuts</strong>');
  });

  it('When a mistake is corrected, then the correction is a new update naming the old one, which stays exactly as it was', async () => {
    const [before] = await chain();
    warren.clock.advance(60_000);
    const sequence = await recordUpdate(admin, {
      signalId: signals[0].id,
      status: 'watching',
      note: 'Correction: the price list was for a promotional tier only.',
      correctsSequence: '1',
    });
    expect(sequence).toBe(2);
    const [first, second] = await chain();
    expect(first).toEqual(before);
    expect(second).toMatchObject({ sequence: 2, correctsSequence: 1, status: 'watching', previousStatus: 'strengthening', prevHash: first.hash });
    expect(verifyChain(await chain())).toMatchObject({ ok: true, count: 2 });
    const page = await admin.get(ADMIN_PAGE).expect(200);
    expect(page.text).toContain('corrects update #1');
  });

  it('When the admin routes are listed, then signal updates can only be added: no route edits or deletes one', () => {
    const signalRoutes = adminRoutesOf(warren.app).filter((route) => route.path.includes('signals'));
    expect(signalRoutes).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/admin/signals' },
        { method: 'GET', path: '/admin/theses/:slug/signals' },
        { method: 'POST', path: '/admin/theses/:slug/signals' },
      ]),
    );
    expect(signalRoutes.filter((route) => !['GET', 'POST'].includes(route.method))).toEqual([]);
    // The one other POST is the preview, which renders the form again and writes nothing (signals-desk.test.ts).
    expect(signalRoutes.filter((route) => route.method === 'POST').map((route) => route.path).sort()).toEqual([
      '/admin/theses/:slug/signals',
      '/admin/theses/:slug/signals/:signalId/preview',
    ]);
  });

  it.each([
    [{ status: 'exploded' }, 'The status must be one of'],
    [{ sourceUrl: 'javascript:alert(1)' }, 'http:// or https://'],
    [{ sourceUrl: 'not a url' }, 'http:// or https://'],
    [{ occurredOn: '2026-13-45' }, 'not a real date'],
    [{ occurredOn: '2027-01-01' }, 'cannot be in the future'],
    [{ note: '   ' }, 'Write the evidence note'],
    [{ signalId: 'no-such-signal' }, 'does not belong to this thesis'],
    [{ correctsSequence: '99' }, 'no update #99'],
    [{ correctsSequence: '0' }, 'give an update number'],
  ])('When the form holds %o, then a clear 400 page answers and nothing is recorded', async (override, message) => {
    const before = await warren.db.signalUpdate.count();
    const res = await submitForm(admin, ADMIN_PAGE, ADMIN_PAGE, {
      signalId: signals[1].id,
      status: 'confirmed',
      occurredOn: '2026-11-20',
      note: 'Evidence.',
      ...override,
    });
    expectStatus(res, 400);
    expect(res.text).toContain(message);
    expect(await warren.db.signalUpdate.count()).toBe(before);
    expect((await warren.db.signal.findUniqueOrThrow({ where: { id: signals[1].id } })).status).toBe('watching');
  });

  it('When a correction names an update about another signal, then it is refused', async () => {
    const res = await submitForm(admin, ADMIN_PAGE, ADMIN_PAGE, {
      signalId: signals[1].id,
      status: 'watching',
      occurredOn: '2026-11-20',
      note: 'Wrong target.',
      correctsSequence: '1',
    });
    expectStatus(res, 400);
    expect(res.text).toContain('about another signal');
  });

  it('When two admins post at the same moment, then both updates are kept on one unbroken chain (no fork)', async () => {
    const second = await signInAdmin(warren, SECOND_ADMIN);
    const pages = await Promise.all([admin.get(ADMIN_PAGE), second.get(ADMIN_PAGE)]);
    const token = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const post = (agent: typeof admin, html: string, index: number) =>
      agent
        .post(ADMIN_PAGE)
        .type('form')
        .send({ _csrf: token(html), signalId: signals[index].id, status: 'confirmed', occurredOn: '2026-11-21', note: `Concurrent ${index}` });
    const results = await Promise.all([post(admin, pages[0].text, 2), post(second, pages[1].text, 3), post(admin, pages[0].text, 4)]);
    for (const res of results) expectStatus(res, 303);
    const updates = await chain();
    expect(updates.map((update) => update.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(verifyChain(updates)).toMatchObject({ ok: true, count: 5 });
    expect(new Set(updates.slice(2).map((update) => update.note))).toEqual(new Set(['Concurrent 2', 'Concurrent 3', 'Concurrent 4']));
  });

  it('When a visitor or a reader posts an update, then the admin gate refuses it and nothing is recorded', async () => {
    const before = await warren.db.signalUpdate.count();
    const anonymous = await request(warren.app).post(ADMIN_PAGE).type('form').send({ signalId: signals[0].id, status: 'failed', note: 'x' });
    expect([401, 403]).toContain(anonymous.status);
    const reader = (await signInWithoutPurchase(warren, 'reader@example.com')).agent;
    const home = await reader.get(`/theses/${DEMO_SLUG}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? '';
    const res = await reader.post(ADMIN_PAGE).type('form').send({ _csrf: token, signalId: signals[0].id, status: 'failed', note: 'x', occurredOn: '2026-11-20' });
    expect(res.status).toBe(403);
    expect(await warren.db.signalUpdate.count()).toBe(before);
  });
});
