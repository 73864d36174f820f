import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLUG, expectStatus, submitForm, startInstance, startWarren, type Warren } from './support/harness.ts';
import { listen, SseClient } from './support/sse-client.ts';
import { ADMIN, buyAndSignIn, demoSignals, recordUpdate, signInAdmin } from './support/signals.ts';

const STREAM = `/theses/${DEMO_SLUG}/signals/stream`;

// Attack (issue 15 review): an admin revoke (or a refund/dispute webhook) announces accessChanged,
// but only sessionsEnded makes the signal hub re-check its open streams; a revoked member's open
// stream keeps receiving members-only signal updates until the next heartbeat (15 s by default).
describe('An open signal stream after an admin revoke', () => {
  let warren: Warren;
  let server: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    // The default heartbeat is 15 s; a long one makes the window obvious.
    warren = await startWarren({ ADMIN_EMAILS: ADMIN, SIGNAL_HEARTBEAT_MS: '60000' });
    server = await listen(warren.app);
  });
  afterAll(async () => {
    await server.close();
    await warren.close();
  });

  it('When the admin revokes a connected member, then the stream is cut off before the next update is recorded', async () => {
    const { signals } = await demoSignals(warren);
    const admin = await signInAdmin(warren);
    const { cookie } = await buyAndSignIn(warren, 'revoked-live@example.com');
    const stream = await SseClient.open(server.url, STREAM, { Cookie: cookie });
    try {
      expect(stream.status).toBe(200);
      const user = await warren.db.user.findUniqueOrThrow({ where: { email: 'revoked-live@example.com' } });
      const entitlement = await warren.db.entitlement.findFirstOrThrow({ where: { userId: user.id } });
      expectStatus(
        await submitForm(admin, `/admin/members/${user.id}`, `/admin/members/${user.id}/entitlements/${entitlement.id}/revoke`),
        303,
      );
      expect((await warren.db.entitlement.findUniqueOrThrow({ where: { id: entitlement.id } })).status).toBe('revoked');

      await recordUpdate(admin, { signalId: signals[0].id, status: 'confirmed', note: 'Secret after revocation.' });
      // Give the hub's 500 ms poll time to deliver.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(stream.body).not.toContain('Secret after revocation');
    } finally {
      stream.close();
    }
  });

  it('When another instance revokes a connected member, then this instance cuts the stream off after its next poll', async () => {
    const { signals } = await demoSignals(warren);
    const admin = await signInAdmin(warren);
    const { cookie } = await buyAndSignIn(warren, 'revoked-elsewhere@example.com');
    const stream = await SseClient.open(server.url, STREAM, { Cookie: cookie });
    const other = await startInstance(warren);
    try {
      expect(stream.status).toBe(200);
      await warren.deps.changes.poll();
      const user = await warren.db.user.findUniqueOrThrow({ where: { email: 'revoked-elsewhere@example.com' } });
      // What the other instance's revoke does: the write, then its announcement.
      await warren.db.entitlement.updateMany({ where: { userId: user.id }, data: { status: 'revoked', revokedAt: warren.clock.now(), revokedReason: 'admin' } });
      await other.deps.access.accessChanged(user.id);
      await warren.deps.changes.poll(); // this instance's next poll
      await stream.until((client) => client.ended, 'the stream to close');
      await recordUpdate(admin, { signalId: signals[1].id, status: 'confirmed', note: 'Secret after remote revocation.' });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(stream.body).not.toContain('Secret after remote revocation');
    } finally {
      stream.close();
      await other.close();
    }
  });
});
