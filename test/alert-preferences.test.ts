import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { ParsedMail } from 'mailparser';
import { APP_URL, DEMO_SLUG, expectStatus, signInByEmail, startWarren, submitForm, type Warren } from './support/harness.ts';
import { ADMIN, buyAndSignIn, demoSignals, recordUpdate, signInAdmin } from './support/signals.ts';
import { editMemberBody } from './support/members-sections.ts';
import { entitle, header, signalAlertData } from './support/mail-fixtures.ts';
import { enqueueMail } from '../server/mail/outbox.ts';
import { createUnsubscribeTokens } from '../server/mail/unsubscribe-token.ts';

type Agent = ReturnType<typeof request.agent>;
const ALL = 'all.updates@example.com';
const STATUS = 'status.only@example.com';
const NONE = 'no.alerts@example.com';
const TWO_THESES = 'two.theses@example.com';
const SECOND_SLUG = 'second-thesis';

describe('Alert preferences per thesis', () => {
  let warren: Warren;
  let admin: Agent;
  const members = new Map<string, Agent>();
  let demoThesisId: string;
  let secondThesisId: string;
  let signals: Awaited<ReturnType<typeof demoSignals>>['signals'];

  const userId = async (email: string) => (await warren.db.user.findUniqueOrThrow({ where: { email } })).id;
  const storedLevels = async () =>
    (await warren.db.alertPreference.findMany({ include: { user: { select: { email: true } } }, orderBy: [{ userId: 'asc' }, { thesisId: 'asc' }] }))
      .map((row) => ({ email: row.user.email, thesisId: row.thesisId, level: row.level }));
  const choose = (email: string, thesisId: string, level: string) =>
    submitForm(members.get(email)!, '/account', '/account/alert-preferences', { thesisId, level });
  /** Delivers what is due, and hands back what each member received since `since` (per address, subject only). */
  const delivered = async (emails: readonly string[], since: ReadonlyMap<string, number>) => {
    await warren.deliverMail();
    return Object.fromEntries(emails.map((email) => [email, warren.inbox.to(email).slice(since.get(email)).map((mail) => mail.subject)]));
  };
  const inboxSizes = (emails: readonly string[]) => new Map(emails.map((email) => [email, warren.inbox.to(email).length]));
  const listUnsubscribeOf = (mail: ParsedMail) => /<([^>]+)>/.exec(header(mail, 'list-unsubscribe')!)![1];
  const oneClick = (url: string) => request(warren.app).post(url.replace(APP_URL, '')).type('form').send('List-Unsubscribe=One-Click');

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    admin = await signInAdmin(warren);
    ({ signals } = await demoSignals(warren));
    demoThesisId = (await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } })).id;
    const now = warren.clock.now();
    secondThesisId = (await warren.db.thesis.create({
      data: { slug: SECOND_SLUG, series: 'S', subject: 'Other Co', title: 'Second thesis', tagline: 't', priceAmount: 7500, publicBody: '## Public', publishedAt: now, createdAt: now, updatedAt: now },
    })).id;
    for (const email of [ALL, STATUS, NONE, TWO_THESES]) {
      await buyAndSignIn(warren, email);
      members.set(email, (await signInByEmail(warren, email, '/account')).agent);
    }
    await entitle(warren, await userId(TWO_THESES), SECOND_SLUG);
    await warren.deliverMail();
  });
  afterAll(() => warren.close());

  it('When a member opens the account page, then each thesis they hold offers the three choices, "All updates" checked', async () => {
    const page = expectStatus(await members.get(TWO_THESES)!.get('/account'), 200).text;
    for (const [thesisId, title] of [[demoThesisId, 'The Decode Singularity'], [secondThesisId, 'Second thesis']]) {
      const form = page.slice(page.indexOf(`name="thesisId" value="${thesisId}"`));
      expect(form).toContain(`<legend>Alerts about ${title}</legend>`);
      expect(form).toMatch(/value="all" checked> All updates/);
      expect(form).toContain("Only status changes and changes to the members&#x27; sections");
      expect(form).toMatch(/value="none"> None/);
    }
    // Only the theses this member holds.
    expect(expectStatus(await members.get(ALL)!.get('/account'), 200).text).not.toContain(secondThesisId);
  });

  it('When members choose a level for a thesis, then it is stored and shown checked', async () => {
    expectStatus(await choose(STATUS, demoThesisId, 'status'), 303);
    const saved = expectStatus(await choose(NONE, demoThesisId, 'none'), 303);
    expect(saved.headers.location).toBe('/account?saved=alerts#alerts');
    expect(await storedLevels()).toEqual(expect.arrayContaining([
      { email: STATUS, thesisId: demoThesisId, level: 'status' },
      { email: NONE, thesisId: demoThesisId, level: 'none' },
    ]));
    const page = expectStatus(await members.get(STATUS)!.get('/account?saved=alerts'), 200).text;
    expect(page).toContain('Your alert preference is saved.');
    expect(page).toMatch(/value="status" checked>/);
    expect(page).toMatch(/value="all">/);
  });

  it('When the form names an unknown level, a thesis the member does not hold or no thesis, then 400 with a clear message and nothing changes', async () => {
    const before = await storedLevels();
    const unknownLevel = expectStatus(await choose(ALL, demoThesisId, 'some'), 400);
    expect(unknownLevel.text).toContain('Choose one of the three alert settings');
    const notHeld = expectStatus(await choose(ALL, secondThesisId, 'none'), 400);
    expect(notHeld.text).toContain('You do not hold that thesis');
    expectStatus(await choose(ALL, '00000000-0000-4000-8000-000000000000', 'none'), 400);
    expectStatus(await choose(ALL, '', 'none'), 400);
    expectStatus(await submitForm(members.get(ALL)!, '/account', '/account/alert-preferences', { level: 'none' }), 400);
    expect(await storedLevels()).toEqual(before);
  });

  it('When a session was opened by the checkout success page, or the form carries no CSRF token, then nothing changes', async () => {
    const before = await storedLevels();
    const { agent: unverified } = await buyAndSignIn(warren, 'fresh.buyer@example.com');
    expectStatus(await submitForm(unverified, '/account', '/account/alert-preferences', { thesisId: demoThesisId, level: 'none' }), 403);
    expectStatus(await members.get(ALL)!.post('/account/alert-preferences').type('form').send({ thesisId: demoThesisId, level: 'none' }), 403);
    expect(await storedLevels()).toEqual(before);
  });

  it('When a signal changes status, then "all updates" and "only status changes" members get the alert, "none" does not', async () => {
    const emails = [ALL, STATUS, NONE];
    const since = inboxSizes(emails);
    const next = signals[0].status === 'confirmed' ? 'strengthening' : 'confirmed';
    await recordUpdate(admin, { signalId: signals[0].id, status: next, note: 'A status change.', alert: true });
    const subject = `The Decode Singularity: ${signals[0].title} is now ${next}`;
    expect(await delivered(emails, since)).toEqual({ [ALL]: [subject], [STATUS]: [subject], [NONE]: [] });
  });

  it('When an update adds a note but keeps the status, then only "all updates" members get the alert', async () => {
    const emails = [ALL, STATUS, NONE];
    const since = inboxSizes(emails);
    const { status } = await warren.db.signal.findUniqueOrThrow({ where: { id: signals[0].id } });
    await recordUpdate(admin, { signalId: signals[0].id, status, note: 'More evidence, same status.', alert: true });
    expect(await delivered(emails, since)).toEqual({ [ALL]: [`The Decode Singularity: ${signals[0].title} is now ${status}`], [STATUS]: [], [NONE]: [] });
  });

  it("When a members' section changes, then \"all updates\" and \"only status changes\" members get the alert, \"none\" does not", async () => {
    const emails = [ALL, STATUS, NONE];
    const since = inboxSizes(emails);
    await editMemberBody(admin, DEMO_SLUG, 0, (body) => `${body}\n\nThe entry level moves up by five percent.`);
    const subject = "The Decode Singularity: the members' layer was updated";
    expect(await delivered(emails, since)).toEqual({ [ALL]: [subject], [STATUS]: [subject], [NONE]: [] });
  });

  it('When a member switches a thesis to "none" after an alert was queued, then it is not delivered', async () => {
    const since = inboxSizes([ALL]);
    await editMemberBody(admin, DEMO_SLUG, 0, (body) => `${body}\n\nAnd the stop moves with it.`);
    const queued = await warren.db.outboxMessage.findFirstOrThrow({ where: { template: 'section-alert', recipient: ALL, status: 'pending' } });
    expectStatus(await choose(ALL, demoThesisId, 'none'), 303);
    expect(await delivered([ALL], since)).toEqual({ [ALL]: [] });
    expect(await warren.db.outboxMessage.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({
      status: 'skipped',
      lastError: "recipient's alert setting for this thesis leaves this alert out",
    });
    expectStatus(await choose(ALL, demoThesisId, 'all'), 303);
  });

  it('When a member switches to "only status changes" after a note and a status change were queued, then only the status change is delivered', async () => {
    const since = inboxSizes([ALL]);
    const { status } = await warren.db.signal.findUniqueOrThrow({ where: { id: signals[3].id } });
    const next = status === 'confirmed' ? 'strengthening' : 'confirmed';
    await recordUpdate(admin, { signalId: signals[3].id, status, note: 'Queued note.', alert: true });
    await recordUpdate(admin, { signalId: signals[3].id, status: next, note: 'Queued status change.', alert: true });
    expect(await warren.db.outboxMessage.count({ where: { template: 'signal-alert', recipient: ALL, status: 'pending' } })).toBe(2);
    expectStatus(await choose(ALL, demoThesisId, 'status'), 303);
    expect(await delivered([ALL], since)).toEqual({ [ALL]: [`The Decode Singularity: ${signals[3].title} is now ${next}`] });
    expectStatus(await choose(ALL, demoThesisId, 'all'), 303);
  });

  it('When the global switch is off, then no alert arrives whatever the thesis says; on again, the thesis level applies', async () => {
    const since = inboxSizes([ALL]);
    expectStatus(await submitForm(members.get(ALL)!, '/account', '/account/alerts', {}), 303);
    const { status } = await warren.db.signal.findUniqueOrThrow({ where: { id: signals[1].id } });
    const next = status === 'weakening' ? 'strengthening' : 'weakening';
    await recordUpdate(admin, { signalId: signals[1].id, status: next, note: 'Global switch off.', alert: true });
    expect(await delivered([ALL], since)).toEqual({ [ALL]: [] });

    expectStatus(await submitForm(members.get(ALL)!, '/account', '/account/alerts', { emailAlerts: 'yes' }), 303);
    await recordUpdate(admin, { signalId: signals[1].id, status, note: 'Global switch on.', alert: true });
    expect(await delivered([ALL], since)).toEqual({ [ALL]: [`The Decode Singularity: ${signals[1].title} is now ${status}`] });
  });

  describe('One-click unsubscribe per thesis', () => {
    let mail: ParsedMail;
    let thesisLink: string;

    beforeAll(async () => {
      const since = inboxSizes([TWO_THESES]);
      await recordUpdate(admin, { signalId: signals[2].id, status: 'failed', note: 'Unsubscribe link test.', alert: true });
      await warren.deliverMail();
      [mail] = warren.inbox.to(TWO_THESES).slice(since.get(TWO_THESES));
      thesisLink = listUnsubscribeOf(mail);
    });

    /** A status alert about the second thesis, queued as the signals feature queues one. */
    const queueSecondThesisAlert = async (dedupeKey: string) =>
      enqueueMail(warren.db, {
        dedupeKey,
        template: 'signal-alert',
        recipient: TWO_THESES,
        userId: await userId(TWO_THESES),
        alert: { thesisId: secondThesisId, change: 'status' },
        data: signalAlertData({ thesisTitle: 'Second thesis', thesisSlug: SECOND_SLUG }),
      }, warren.clock.now());

    it('When an alert about a thesis arrives, then its footer offers "stop alerts for this thesis" and "stop all alerts", and List-Unsubscribe is the thesis link', () => {
      expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(mail.text).toContain(`Stop alerts for this thesis: ${thesisLink}`);
      const allLink = /Stop all alerts: (\S+)/.exec(mail.text!)![1];
      expect(allLink).not.toBe(thesisLink);
      expect(mail.html).toContain('Stop alerts for this thesis</a>');
      expect(mail.html).toContain('Stop all alerts</a>');
    });

    it('When someone tampers with the per-thesis token or points it at another thesis or member, then 400 and nothing changes', async () => {
      const token = new URL(thesisLink).searchParams.get('token')!;
      const [user, thesis, mac] = token.split('.');
      const tokens = createUnsubscribeTokens(warren.config.jwtSecret);
      const forged = [
        `${user}.${secondThesisId}.${mac}`, // the same MAC for another thesis
        `${await userId(ALL)}.${thesis}.${mac}`, // for another member
        `${user}.${thesis}.${mac.slice(0, -3)}${mac.endsWith('AAA') ? 'BBB' : 'AAA'}`,
        `${user}.${thesis}.${tokens.sign(user).split('.')[1]}`, // the member's all-alerts MAC on a thesis token
        createUnsubscribeTokens('another-secret-of-at-least-32-characters').sign(user, thesis),
        tokens.sign(user, '00000000-0000-4000-8000-000000000000'), // genuine, but no such thesis
        `${user}.${thesis}`,
      ];
      const before = { levels: await storedLevels(), users: await warren.db.user.findMany({ select: { id: true, emailAlerts: true }, orderBy: { id: 'asc' } }) };
      for (const bad of forged) {
        const url = `/unsubscribe?token=${encodeURIComponent(bad)}`;
        expect(expectStatus(await request(warren.app).get(url), 400).text).toContain('This unsubscribe link is not valid');
        expect(expectStatus(await oneClick(url), 400).text).toContain('This unsubscribe link is not valid');
      }
      expect({ levels: await storedLevels(), users: await warren.db.user.findMany({ select: { id: true, emailAlerts: true }, orderBy: { id: 'asc' } }) }).toEqual(before);
    });

    it('When the mail client POSTs the List-Unsubscribe URL of that e-mail, then that thesis is set to "none" and nothing else', async () => {
      const confirm = expectStatus(await request(warren.app).get(thesisLink.replace(APP_URL, '')), 200);
      expect(confirm.text).toContain('Stop alerts about The Decode Singularity?');
      expect(await storedLevels()).not.toContainEqual(expect.objectContaining({ email: TWO_THESES }));

      const done = expectStatus(await oneClick(thesisLink), 200);
      expect(done.text).toContain('No more alerts about The Decode Singularity');
      expect((await storedLevels()).filter((row) => row.email === TWO_THESES)).toEqual([{ email: TWO_THESES, thesisId: demoThesisId, level: 'none' }]);
      expect((await warren.db.user.findUniqueOrThrow({ where: { email: TWO_THESES } })).emailAlerts).toBe(true);

      const since = inboxSizes([TWO_THESES]);
      await recordUpdate(admin, { signalId: signals[2].id, status: 'watching', note: 'After the thesis unsubscribe.', alert: true });
      expect(await queueSecondThesisAlert('second-thesis-alert:1')).toBe(true);
      expect(await delivered([TWO_THESES], since)).toEqual({ [TWO_THESES]: [`Second thesis: ${signalAlertData().signalTitle} is now confirmed`] });
    });

    it('When the member uses the "stop all alerts" link of the same e-mail, then every alert stops (the global switch, as before)', async () => {
      const allLink = /Stop all alerts: (\S+)/.exec(mail.text!)![1];
      expectStatus(await oneClick(allLink), 200);
      expect((await warren.db.user.findUniqueOrThrow({ where: { email: TWO_THESES } })).emailAlerts).toBe(false);
      expect(await queueSecondThesisAlert('second-thesis-alert:2')).toBe(false);
    });
  });
});
