import { createSession } from '../server/accounts/sessions.repo.ts';
import { createSessionTokens } from '../server/accounts/session-token.ts';
import { systemClock } from '../server/clock.ts';
import type { Db } from '../server/db/database.ts';
import { BENCH_JWT_SECRET } from './context.ts';

/** A session cookie for this account, as signing in would give: a session row and its token. */
export async function benchSessionCookie(db: Db, userId: string): Promise<string> {
  const now = systemClock.now();
  const session = await createSession(db, userId, { device: 'Benchmark', unverified: false, now });
  const { sessionVersion } = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { sessionVersion: true } });
  const expiresAt = Math.floor(session.expiresAt.getTime() / 1000);
  const { token } = createSessionTokens(BENCH_JWT_SECRET, () => systemClock.now()).issue({ userId, sessionId: session.id, sessionVersion }, expiresAt);
  return `warren_session=${token}`;
}
