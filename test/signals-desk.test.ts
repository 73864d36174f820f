import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, startWarren, submitForm, type Warren } from './support/harness.ts';
import { ADMIN, ADMIN_PAGE, demoSignals, recordUpdate, signInAdmin } from './support/signals.ts';
import { formatDay } from '../server/http/dates.ts';

/** The overview table's row for a signal, its cells' text joined with |. */
const overviewRow = (html: string, signalId: string) =>
  new RegExp(`<tr id="overview-${signalId}">([\\s\\S]*?)</tr>`).exec(html)?.[1].replace(/<[^>]+>/g, '|').replace(/\s+/g, ' ').replace(/(\s*\|\s*)+/g, '|');

describe("The signals desk: an overview of a thesis's signals and one focused form per signal", () => {
  let warren: Warren;
  let admin: Awaited<ReturnType<typeof signInAdmin>>;
  let signals: Awaited<ReturnType<typeof demoSignals>>['signals'];
  let thesisId: string;
  const formPage = (signalId: string) => `${ADMIN_PAGE}/${signalId}/new`;

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
    ({ signals, thesis: { id: thesisId } } = await demoSignals(warren));
  });
  afterAll(() => warren.close());

  it('When updates are recorded, then the overview shows each signal with its status, last update date and number of updates, and one Record update link', async () => {
    await recordUpdate(admin, { signalId: signals[0].id, status: 'strengthening', note: 'First.' });
    warren.clock.advance(2 * 24 * 60 * 60 * 1000);
    await recordUpdate(admin, { signalId: signals[0].id, status: 'confirmed', note: 'Second.' });
    await recordUpdate(admin, { signalId: signals[1].id, status: 'weakening', note: 'Only one.' });

    const page = (await admin.get(ADMIN_PAGE).expect(200)).text;

    const updates = await warren.db.signalUpdate.groupBy({ by: ['signalId'], where: { thesisId, kind: 'signal' }, _count: { _all: true } });
    const countOf = (signalId: string) => updates.find((group) => group.signalId === signalId)?._count._all ?? 0;
    const today = formatDay(warren.clock.now());
    expect(overviewRow(page, signals[0].id)).toBe(`|${signals[0].title}|Confirmed|${today}|${countOf(signals[0].id)}|Record update|`);
    expect(overviewRow(page, signals[1].id)).toBe(`|${signals[1].title}|Weakening|${today}|${countOf(signals[1].id)}|Record update|`);
    expect(overviewRow(page, signals[2].id)).toBe(`|${signals[2].title}|Watching|none yet|0|Record update|`);
    expect(countOf(signals[0].id)).toBe(2);
    for (const signal of signals) expect(page).toContain(`href="${formPage(signal.id)}"`);
    expect(page).toMatch(/<th scope="col">Signal<\/th><th scope="col">Status<\/th><th scope="col">Last update<\/th><th scope="col">Updates<\/th>/);
    // No record form on the overview: each signal's form is its own page.
    expect(page).not.toContain('name="signalId"');
  });

  it('When the admin opens Record update for a signal, then one form for that signal only shows, and recording lands on the overview with a success message', async () => {
    const form = (await admin.get(formPage(signals[2].id)).expect(200)).text;
    // One form in the page's main part (the header's sign-out form is the layout's).
    expect(form.slice(form.indexOf('<main')).match(/<form method="post"/g)).toHaveLength(1);
    expect(form).toContain(`<input type="hidden" name="signalId" value="${signals[2].id}">`);
    for (const other of [signals[0], signals[1]]) expect(form).not.toContain(other.id);
    expect(form).toContain('<label for="note">Evidence note (Markdown)</label>');
    await admin.get(`${ADMIN_PAGE}/not-a-signal/new`).expect(404);

    const sequence = await recordUpdate(admin, { signalId: signals[2].id, status: 'strengthening', note: 'From the focused form.' });
    const landed = (await admin.get(`${ADMIN_PAGE}?recorded=${sequence}`).expect(200)).text;
    expect(landed).toContain(`<p class="confirmation" role="status">Update #${sequence} recorded.</p>`);
  });

  it('When the admin previews a note, then it is rendered sanitised, the form keeps what was typed, and nothing is recorded', async () => {
    const before = await warren.db.signalUpdate.count({ where: { thesisId } });
    const note = 'Price list **undercuts** rivals.\n\n<script>alert("x")</script>\n\n<img src=x onerror="alert(1)">';
    const res = expectStatus(
      await submitForm(admin, formPage(signals[1].id), `${ADMIN_PAGE}/${signals[1].id}/preview`, { status: 'confirmed', occurredOn: '2026-11-20', note }),
      200,
    );
    const preview = /<section class="note-preview"[\s\S]*?<\/section>/.exec(res.text)![0];
    expect(preview).toContain('<strong>undercuts</strong>');
    expect(preview).not.toMatch(/<script|onerror/i);
    expect(res.text).not.toContain('<script>alert');
    // The typed note comes back escaped in the textarea, and the chosen status stays selected.
    expect(res.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(res.text).toContain('<option value="confirmed" selected>');
    expect(await warren.db.signalUpdate.count({ where: { thesisId } })).toBe(before);
  });

  it('When members differ in access and alert settings, then the alert box counts exactly those who will be e-mailed', async () => {
    const now = warren.clock.now();
    const member = async (email: string, options: { alerts?: boolean; entitlement?: 'active' | 'revoked'; level?: string } = {}) => {
      const user = await warren.db.user.create({ data: { email, createdAt: now, emailAlerts: options.alerts ?? true } });
      if (options.entitlement) {
        await warren.db.entitlement.create({ data: { userId: user.id, thesisId, source: 'grant', status: options.entitlement, createdAt: now, updatedAt: now } });
      }
      if (options.level) await warren.db.alertPreference.create({ data: { userId: user.id, thesisId, level: options.level, updatedAt: now } });
    };
    await member('wants-all@example.com', { entitlement: 'active' });
    await member('alerts-off@example.com', { entitlement: 'active', alerts: false });
    await member('status-only@example.com', { entitlement: 'active', level: 'status' });
    await member('revoked@example.com', { entitlement: 'revoked' });
    await member('no-access@example.com');

    const form = (await admin.get(formPage(signals[0].id)).expect(200)).text;
    const audience = /<p class="small" id="alert-audience">([\s\S]*?)<\/p>/.exec(form)![1].replace(/\s+/g, ' ');
    expect(audience).toBe(
      '2 members will be e-mailed (entitled members who accept alerts for this thesis); 1 if the status stays as it is (a note reaches only those who chose all updates).',
    );
    expect(form).toMatch(/<input type="checkbox" name="alert" value="yes" aria-describedby="alert-audience">/);

    // The number is the number of alerts the outbox then queues for a move of status.
    await recordUpdate(admin, { signalId: signals[0].id, status: 'weakening', note: 'Reversal.', alert: true });
    const queued = await warren.db.outboxMessage.findMany({ where: { template: 'signal-alert', status: 'pending' }, select: { recipient: true } });
    expect(queued.map((mail) => mail.recipient).sort()).toEqual(['status-only@example.com', 'wants-all@example.com']);
  });
});
