import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { TestClock, csrfToken, startInstance, expectStatus, signInByEmail, startWarren, submitForm, type Warren } from './support/harness.ts';
import { thesisForm } from './support/thesis-form.ts';

const ADMIN = 'publisher@example.com';
const BUYER = 'buyer@example.com';
const HOUR = 3_600_000;
type Agent = Awaited<ReturnType<typeof signInByEmail>>['agent'];

describe('Publishing a thesis from the admin area', () => {
  let warren: Warren;
  let admin: Agent;
  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    await warren.db.user.create({ data: { email: ADMIN, createdAt: warren.clock.now() } });
    ({ agent: admin } = await signInByEmail(warren, ADMIN));
  });
  afterAll(() => warren.close());

  const post = (page: string, action: string, fields: Record<string, string | string[]> = {}) =>
    submitForm(admin, page, action, fields as Record<string, string>);
  const visitor = () => request(warren.app);

  it('When the admin creates a thesis, then it is a draft no visitor can see, listed in the admin with its status', async () => {
    const res = expectStatus(await post('/admin/theses/new', '/admin/theses/new', thesisForm()), 303);
    expect(res.headers.location).toBe('/admin/theses/memory-wall?saved=1');
    const row = await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'memory-wall' }, include: { signals: true, memberSections: true, stressTests: true } });
    expect(row).toMatchObject({ publishedAt: null, archivedAt: null, priceAmount: 7500, currency: 'cad', disclosurePosition: 'held' });
    expect(row.disclosurePositionSince?.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(row.stressTests).toHaveLength(1);
    expect(row.signals.map((signal) => signal.title).sort()).toEqual(['Customer breadth', 'Price leadership']);
    expect(await warren.db.thesisRevision.count({ where: { thesisId: row.id } })).toBe(1);

    await visitor().get('/theses/memory-wall').expect(404);
    expect((await visitor().get('/')).text).not.toContain('The Memory Wall');
    const list = await admin.get('/admin/theses').expect(200);
    expect(list.text).toMatch(/The Memory Wall[\s\S]*state-draft/);
  });

  it('When the form is invalid, then the editor answers 400 with the problems and nothing is stored', async () => {
    const res = expectStatus(await post('/admin/theses/new', '/admin/theses/new', thesisForm({ slug: 'Bad Slug!', price: 'free' })), 400);
    expect(res.text).toContain('Nothing was saved');
    expect(res.text).toContain('price');
    expect(await warren.db.thesis.count({ where: { title: 'The Memory Wall' } })).toBe(1);
    const taken = expectStatus(await post('/admin/theses/new', '/admin/theses/new', thesisForm()), 400);
    expect(taken.text).toContain('already used by another thesis');
  });

  it('When the admin previews, then the visitor preview has the paywall only and the member preview has the members\' layer', async () => {
    const asVisitor = await admin.get('/admin/theses/memory-wall/preview').expect(200);
    expect(asVisitor.text).toContain('Preview as a visitor');
    expect(asVisitor.text).toContain('id="paywall"');
    expect(asVisitor.text).not.toContain('SECRET-SIZING');
    expect(asVisitor.text).toContain('holds a position in Acme Memory Corp since March 1, 2025');
    const asMember = await admin.get('/admin/theses/memory-wall/preview?as=member').expect(200);
    expect(asMember.text).toContain('id="members-layer"');
    expect(asMember.text).toContain('SECRET-SIZING');
    expect(asMember.text).not.toContain('id="paywall"');
  });

  it('When the disclosure is missing, then publishing is refused and the thesis stays a draft', async () => {
    await post('/admin/theses/new', '/admin/theses/new', thesisForm({ slug: 'undisclosed', disclosurePosition: '', disclosureCompensation: '' }));
    const res = expectStatus(await post('/admin/theses/undisclosed', '/admin/theses/undisclosed/status', { action: 'publish' }), 400);
    expect(res.text).toContain('Disclosure: say whether');
    expect((await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'undisclosed' } })).publishedAt).toBeNull();
  });

  it('When the admin schedules it, then it stays hidden until the time comes and then goes live by itself, also after a restart', async () => {
    const at = new Date(warren.clock.now().getTime() + 2 * HOUR);
    const publishAt = at.toISOString().slice(0, 16);
    expectStatus(await post('/admin/theses/memory-wall', '/admin/theses/memory-wall/status', { action: 'schedule', publishAt }), 303);
    expect((await admin.get('/admin/theses')).text).toMatch(/The Memory Wall[\s\S]*state-scheduled/);
    await visitor().get('/theses/memory-wall').expect(404);
    expect((await visitor().get('/feed.xml')).text).not.toContain('memory-wall');

    // A restart: a new app over the same database, nothing carried in memory, a clock past the time.
    const later = new TestClock(new Date(at.getTime() + 60_000));
    const { app: restarted } = await startInstance(warren, { clock: later });
    const page = await request(restarted).get('/theses/memory-wall').expect(200);
    expect(page.text).toContain('The Memory Wall');
    expect(page.text).not.toContain('SECRET-');
    expect((await request(restarted).get('/')).text).toContain('href="/theses/memory-wall"');
    expect((await request(restarted).get('/sitemap.xml')).text).toContain('/theses/memory-wall');

    warren.clock.advance(2 * HOUR + 60_000);
    await visitor().get('/theses/memory-wall').expect(200);
  });

  it('When the admin edits the published thesis, then visitors see the new text at once and a revision records who changed what', async () => {
    const before = await visitor().get('/theses/memory-wall').expect(200);
    expect(before.text).toContain('A public argument about memory.');
    const stored = await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'memory-wall' }, include: { signals: { orderBy: { position: 'asc' } } } });
    const edit = await admin.get('/admin/theses/memory-wall').expect(200);
    expect(edit.text).toContain(`name="signalId" value="${stored.signals[0].id}"`);
    const form = thesisForm({
      publicBody: '## What this thesis is\n\nA sharper argument about memory.',
      signalId: [stored.signals[1].id, stored.signals[0].id, ''],
      signalTitle: ['Customer breadth', 'Price leadership (renamed)', 'Supply'],
      signalDescription: ['Largest customer share falls.', 'Per-token prices stay lowest.', 'Capacity comes online.'],
    });
    expectStatus(await post('/admin/theses/memory-wall', '/admin/theses/memory-wall', form), 303);

    const after = await visitor().get('/theses/memory-wall').expect(200);
    expect(after.text).toContain('A sharper argument about memory.');
    expect(after.text).not.toContain('A public argument about memory.');
    // Signals keep their rows (and whatever history hangs off them), in the new order.
    const signals = await warren.db.signal.findMany({ where: { thesisId: stored.id }, orderBy: { position: 'asc' } });
    expect(signals.map((signal) => signal.id).slice(0, 2)).toEqual([stored.signals[1].id, stored.signals[0].id]);
    expect(signals.map((signal) => signal.title)).toEqual(['Customer breadth', 'Price leadership (renamed)', 'Supply']);

    const revisions = await admin.get('/admin/theses/memory-wall/revisions').expect(200);
    expect(revisions.text).toContain(ADMIN);
    expect(revisions.text).toMatch(/edited publicBody, signals/);
  });

  it('When the admin restores an earlier revision, then its content comes back as a new revision', async () => {
    const stored = await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'memory-wall' } });
    const first = await warren.db.thesisRevision.findFirstOrThrow({ where: { thesisId: stored.id, number: 1 } });
    expectStatus(await post('/admin/theses/memory-wall/revisions', `/admin/theses/memory-wall/revisions/${first.number}/restore`, { confirm: 'yes' }), 303);
    const page = await visitor().get('/theses/memory-wall').expect(200);
    expect(page.text).toContain('A public argument about memory.');
    const latest = await warren.db.thesisRevision.findFirstOrThrow({ where: { thesisId: stored.id }, orderBy: { number: 'desc' } });
    expect(latest).toMatchObject({ summary: 'restored revision 1', authorEmail: ADMIN });
    // Still published: a restore brings back content, not an earlier publication state.
    expect((await warren.db.thesis.findUniqueOrThrow({ where: { id: stored.id } })).publishedAt).not.toBeNull();
  });

  it('When the slug changes, then the old address answers 301 to the new one', async () => {
    expectStatus(await post('/admin/theses/memory-wall', '/admin/theses/memory-wall', thesisForm({ slug: 'the-memory-wall' })), 303);
    const res = await visitor().get('/theses/memory-wall').expect(301);
    expect(res.headers.location).toBe('/theses/the-memory-wall');
    await visitor().get('/theses/the-memory-wall').expect(200);
    // Another thesis cannot take the old slug over while it redirects.
    const taken = expectStatus(await post('/admin/theses/new', '/admin/theses/new', thesisForm({ slug: 'memory-wall', title: 'Other' })), 400);
    expect(taken.text).toContain('already used');
  });

  it('When a thesis that was published is unpublished and renamed as a draft, then its old address still redirects; a never-published draft leaves none', async () => {
    const form = (slug: string) => thesisForm({ slug, title: `Sold ${slug}` });
    expectStatus(await post('/admin/theses/new', '/admin/theses/new', form('sold-once')), 303);
    expectStatus(await post('/admin/theses/sold-once', '/admin/theses/sold-once/status', { action: 'publish' }), 303);
    expectStatus(await post('/admin/theses/sold-once', '/admin/theses/sold-once/status', { action: 'unpublish', confirm: 'yes' }), 303);
    expectStatus(await post('/admin/theses/sold-once', '/admin/theses/sold-once', form('sold-once-renamed')), 303);
    expectStatus(await post('/admin/theses/sold-once-renamed', '/admin/theses/sold-once-renamed/status', { action: 'publish' }), 303);
    expect((await visitor().get('/theses/sold-once').expect(301)).headers.location).toBe('/theses/sold-once-renamed');

    expectStatus(await post('/admin/theses/new', '/admin/theses/new', form('never-out')), 303);
    expectStatus(await post('/admin/theses/never-out', '/admin/theses/never-out', form('never-out-renamed')), 303);
    expect(await warren.db.thesisSlugRedirect.count({ where: { oldSlug: 'never-out' } })).toBe(0);
  });

  it('When the admin archives the thesis, then the catalog, feed and sitemap drop it, it is not sold, and a buyer keeps reading it', async () => {
    const thesis = await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'the-memory-wall' } });
    const buyer = await warren.db.user.create({ data: { email: BUYER, createdAt: warren.clock.now() } });
    await warren.db.entitlement.create({ data: { userId: buyer.id, thesisId: thesis.id, createdAt: warren.clock.now(), updatedAt: warren.clock.now() } });
    expectStatus(await post('/admin/theses/the-memory-wall', '/admin/theses/the-memory-wall/status', { action: 'archive', confirm: 'yes' }), 303);

    expect((await visitor().get('/')).text).not.toContain('the-memory-wall');
    expect((await visitor().get('/feed.xml')).text).not.toContain('the-memory-wall');
    expect((await visitor().get('/sitemap.xml')).text).not.toContain('the-memory-wall');
    const page = await visitor().get('/theses/the-memory-wall').expect(200);
    expect(page.text).toContain('no longer sold');
    expect(page.text).not.toContain('/theses/the-memory-wall/buy');
    expect(page.text).toContain('<meta name="robots" content="noindex">');
    await visitor().get('/theses/the-memory-wall/buy').expect(404);

    const { agent } = await signInByEmail(warren, BUYER);
    const asBuyer = await agent.get('/theses/the-memory-wall').expect(200);
    expect(asBuyer.text).toContain('SECRET-SIZING');
    expect((await admin.get('/admin/theses')).text).toMatch(/The Memory Wall[\s\S]*state-archived/);
  });

  it('When the admin saves a public body larger than the site-wide 32 KB form limit, then it is stored whole', async () => {
    const long = `## Long\n\n${'A long paragraph of argument. '.repeat(2000)}`;
    expect(long.length).toBeGreaterThan(50_000);
    expectStatus(await post('/admin/theses/the-memory-wall', '/admin/theses/the-memory-wall', thesisForm({ slug: 'the-memory-wall', publicBody: long })), 303);
    expect((await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'the-memory-wall' } })).publicBody).toBe(long.trim());
    expect((await admin.get('/admin').expect(200)).text).toContain('href="/admin/theses"');
  });

  it('When the admin unpublishes, then the thesis is a draft again and visitors get 404', async () => {
    expectStatus(await post('/admin/theses/the-memory-wall', '/admin/theses/the-memory-wall/status', { action: 'unpublish', confirm: 'yes' }), 303);
    await visitor().get('/theses/the-memory-wall').expect(404);
    await visitor().get('/theses/memory-wall').expect(404);
  });

  it('When a status form carries no CSRF token, then it is refused and nothing changes', async () => {
    const before = await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO } });
    const res = await admin.post(`/admin/theses/${DEMO}/status`).type('form').send({ action: 'archive' });
    expect(res.status).toBe(403);
    expect((await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO } })).revision).toBe(before.revision);
    expect(csrfToken((await admin.get(`/admin/theses/${DEMO}`)).text)).toBeTruthy();
  });
});

const DEMO = 'decode-singularity';
