import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_SLUG, expectStatus, submitForm, startWarren, type Warren } from './support/harness.ts';
import { ADMIN, demoSignals, recordUpdate, signInAdmin } from './support/signals.ts';
import { thesisForm } from './support/thesis-form.ts';

type Agent = Awaited<ReturnType<typeof signInAdmin>>;
const EDITOR = `/admin/theses/${DEMO_SLUG}`;
const STATUS = `${EDITOR}/status`;
const KEPT = 'this thesis has entries on its public track record (/record)';
const ARCHIVE_INSTEAD = 'Archive it instead: an archived thesis leaves the front page, the feed and the sitemap and is no longer sold, but keeps its record.';

describe('A thesis with a public record stays on /record', () => {
  let warren: Warren;
  let admin: Agent;
  const anonymous = () => request(warren.app);
  const stored = () => warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG }, select: { publishedAt: true, archivedAt: true, revision: true } });
  const onRecord = async () => {
    const page = (await anonymous().get('/record').expect(200)).text;
    const exported = await anonymous().get(`/record/${DEMO_SLUG}.json`);
    return { listed: page.includes(`id="record-${DEMO_SLUG}"`), exportStatus: exported.status };
  };

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
    const { signals } = await demoSignals(warren);
    // The demo thesis is published when the clock starts; one signal update puts it on the record.
    await recordUpdate(admin, { signalId: signals[0].id, status: 'strengthening', note: 'Early evidence.', occurredOn: '2026-11-26' });
  });
  afterAll(() => warren.close());

  it('When the admin unpublishes or re-schedules it, then it is refused, pointing to Archive, and nothing changes', async () => {
    const before = await stored();
    expect(await onRecord()).toEqual({ listed: true, exportStatus: 200 });
    // The editor offers neither; a form posted anyway is refused below.
    const page = (await admin.get(EDITOR).expect(200)).text;
    expect(page).toContain('data-record-kept');
    expect(page).not.toContain('value="unpublish"');
    const later = new Date(warren.clock.now().getTime() + 86_400_000).toISOString().slice(0, 16);
    for (const [fields, problem] of [
      [{ action: 'unpublish', confirm: 'yes' }, 'so it cannot go back to draft'],
      [{ action: 'schedule', publishAt: later }, 'so its publication cannot be moved to a later date'],
    ] as const) {
      const res = await submitForm(admin, EDITOR, STATUS, fields);
      expect(res.status).toBe(400);
      expect(res.text).toContain(`${KEPT}, ${problem}`);
      expect(res.text).toContain(ARCHIVE_INSTEAD);
      expect(await stored()).toEqual(before);
      expect(await onRecord()).toEqual({ listed: true, exportStatus: 200 });
    }
  });

  it('When the admin archives it, then it keeps its record, and it cannot be unpublished from the archive either', async () => {
    expectStatus(await submitForm(admin, EDITOR, STATUS, { action: 'archive', confirm: 'yes' }), 303);
    const archived = await stored();
    expect(archived.archivedAt).toEqual(warren.clock.now());
    expect(await onRecord()).toEqual({ listed: true, exportStatus: 200 });
    expect((await anonymous().get('/record').expect(200)).text).toContain('state-archived');

    const res = await submitForm(admin, EDITOR, STATUS, { action: 'unpublish', confirm: 'yes' });
    expect(res.status).toBe(400);
    expect(res.text).toContain(KEPT);
    expect(await stored()).toEqual(archived);
    expect(await onRecord()).toEqual({ listed: true, exportStatus: 200 });
  });

  it('When a published thesis has nothing on its record, then it can still be unpublished or re-scheduled', async () => {
    const editor = '/admin/theses/memory-wall';
    expectStatus(await submitForm(admin, '/admin/theses/new', '/admin/theses/new', thesisForm() as Record<string, string>), 303);
    expectStatus(await submitForm(admin, editor, `${editor}/status`, { action: 'publish' }), 303);
    expect((await anonymous().get('/record').expect(200)).text).toContain('id="record-memory-wall"');
    expect((await admin.get(editor).expect(200)).text).toContain('value="unpublish"');

    const later = new Date(warren.clock.now().getTime() + 86_400_000);
    expectStatus(await submitForm(admin, editor, `${editor}/status`, { action: 'schedule', publishAt: later.toISOString().slice(0, 16) }), 303);
    expect((await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'memory-wall' } })).publishedAt).toEqual(new Date(`${later.toISOString().slice(0, 16)}:00.000Z`));
    expectStatus(await submitForm(admin, editor, `${editor}/status`, { action: 'publish' }), 303);
    expectStatus(await submitForm(admin, editor, `${editor}/status`, { action: 'unpublish', confirm: 'yes' }), 303);
    expect((await warren.db.thesis.findUniqueOrThrow({ where: { slug: 'memory-wall' } })).publishedAt).toBeNull();
    await anonymous().get('/record/memory-wall.json').expect(404);
  });
});
