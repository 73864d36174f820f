import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_URL, DEMO_SLUG, startWarren, type Warren } from './support/harness.ts';
import { ADMIN, buyAndSignIn, demoSignals, recordUpdate, signInAdmin, signInWithoutPurchase } from './support/signals.ts';
import { demoThesis } from '../server/publishing/demo-thesis.ts';

const MEMBER_A = 'member.a@example.com';
const MEMBER_B = 'member.b@example.com';
const OUTSIDER = 'outsider@example.com';

describe('Signal alerts by e-mail', () => {
  let warren: Warren;
  let admin: Awaited<ReturnType<typeof signInAdmin>>;
  let signals: Awaited<ReturnType<typeof demoSignals>>['signals'];

  beforeAll(async () => {
    warren = await startWarren({ ADMIN_EMAILS: ADMIN });
    ({ signals } = await demoSignals(warren));
    admin = await signInAdmin(warren);
    await buyAndSignIn(warren, MEMBER_A);
    await buyAndSignIn(warren, MEMBER_B);
    await signInWithoutPurchase(warren, OUTSIDER);
    await warren.deliverMail();
  });
  afterAll(() => warren.close());

  const alertsTo = (email: string) => warren.inbox.to(email).filter((mail) => mail.subject?.includes(' is now '));

  it('When an update is marked "alert members", then each entitled member gets exactly one alert carrying the chain head, and nobody else', async () => {
    await recordUpdate(admin, {
      signalId: signals[0].id,
      status: 'confirmed',
      occurredOn: '2026-11-25',
      note: 'Second consecutive quarter of price leadership.',
      alert: true,
    });
    const update = await warren.db.signalUpdate.findFirstOrThrow({ where: { sequence: 1 } });
    const queued = await warren.db.outboxMessage.findMany({ where: { template: 'signal-alert' }, orderBy: { recipient: 'asc' } });
    const users = await warren.db.user.findMany({ where: { email: { in: [MEMBER_A, MEMBER_B] } }, orderBy: { email: 'asc' } });
    expect(queued.map((message) => [message.recipient, message.dedupeKey])).toEqual(
      users.map((user) => [user.email, `signal-alert:${update.id}:${user.id}`]),
    );
    expect(JSON.parse(queued[0].payload).data).toEqual({
      thesisTitle: demoThesis.title,
      thesisSlug: DEMO_SLUG,
      signalTitle: signals[0].title,
      status: 'confirmed',
      note: 'Second consecutive quarter of price leadership.',
      occurredAt: '2026-11-25',
      chainHead: update.hash,
      chainCount: 1,
    });

    await warren.deliverMail();
    await warren.deliverMail();
    for (const email of [MEMBER_A, MEMBER_B]) {
      const alerts = alertsTo(email);
      expect(alerts).toHaveLength(1);
      expect(alerts[0].subject).toBe(`The Decode Singularity: ${signals[0].title} is now confirmed`);
      expect(alerts[0].text).toContain(update.hash);
      expect(alerts[0].text).toContain(`Record 1 · chain head ${update.hash}`);
      expect(alerts[0].text).toContain('Second consecutive quarter of price leadership.');
      expect(alerts[0].text).toContain(`${APP_URL}/theses/${DEMO_SLUG}/signals`);
      expect(alerts[0].html).toContain(update.hash);
    }
    expect(alertsTo(OUTSIDER)).toEqual([]);
    expect(alertsTo(ADMIN)).toEqual([]);
  });

  it('When an update is not marked for alerting, then no e-mail is queued', async () => {
    const before = await warren.db.outboxMessage.count();
    await recordUpdate(admin, { signalId: signals[1].id, status: 'strengthening', note: 'Quiet progress.' });
    expect(await warren.db.outboxMessage.count()).toBe(before);
  });

  it('When a member has lost access, then later alerts go only to those who still have it', async () => {
    const memberB = await warren.db.user.findUniqueOrThrow({ where: { email: MEMBER_B } });
    await warren.db.entitlement.deleteMany({ where: { userId: memberB.id } });
    await recordUpdate(admin, { signalId: signals[1].id, status: 'weakening', note: 'A setback.', alert: true });
    await warren.deliverMail();
    expect(alertsTo(MEMBER_A)).toHaveLength(2);
    expect(alertsTo(MEMBER_B)).toHaveLength(1);
    const head = await warren.db.signalUpdate.findFirstOrThrow({ orderBy: { sequence: 'desc' } });
    expect(alertsTo(MEMBER_A)[1].text).toContain(head.hash);
    expect(alertsTo(MEMBER_A)[1].text).toContain('Record 3 · chain head');
  });
});
