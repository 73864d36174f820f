import { randomUUID } from 'node:crypto';
import { Prisma, type Db, type Tx } from '../db/database.ts';

/**
 * One user per normalised e-mail address; `email` must already be normalised. One statement (it
 * runs for every purchase): the no-op update makes RETURNING give the existing row too, and locks
 * it on PostgreSQL as Prisma's upsert would. New rows get the defaults of schema.prisma, created `now`.
 */
export async function findOrCreateUser(db: Db | Tx, email: string, now: Date): Promise<{ id: string; email: string }> {
  return { id: (await findOrCreateUsers(db, [{ email }], now)).get(email)!, email };
}

/** An account to find or create, and the Checkout Session that asks for it (recorded on a new row only). */
export interface AccountFor {
  email: string;
  checkoutSessionId?: string;
}

/**
 * The same for many addresses in one statement (a batch of webhooks), as a map from address to user
 * id. Each address once (PostgreSQL updates a row only once per statement), in sorted order, so two
 * transactions lock the rows they share in the same order and cannot deadlock on them. An existing
 * row keeps its `createdByCheckoutSessionId`: only the session that created an account is recorded.
 */
export async function findOrCreateUsers(db: Db | Tx, accounts: readonly AccountFor[], now: Date): Promise<Map<string, string>> {
  const byEmail = new Map<string, AccountFor>();
  for (const account of accounts) if (!byEmail.has(account.email)) byEmail.set(account.email, account);
  const rows = [...byEmail.values()]
    .sort((a, b) => (a.email < b.email ? -1 : 1))
    .map(({ email, checkoutSessionId }) => Prisma.sql`(${randomUUID()}, ${email}, 'member', 0, true, ${checkoutSessionId ?? null}, ${now})`);
  const users = await db.$queryRaw<{ id: string; email: string }[]>`
    INSERT INTO "User" ("id", "email", "role", "sessionVersion", "emailAlerts", "createdByCheckoutSessionId", "createdAt")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("email") DO UPDATE SET "email" = excluded."email"
    RETURNING "id", "email"`;
  return new Map(users.map((user) => [user.email, user.id]));
}

/**
 * The first sign-in by a link or code from the inbox proves the address: it is recorded, and every
 * session issued before it ends (the only ones can be unverified sessions a checkout opened, maybe
 * by someone who typed this address on Stripe's page). True when this was that first time.
 */
export async function markEmailVerified(db: Db, userId: string, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, emailVerifiedAt: null },
      data: { emailVerifiedAt: now, sessionVersion: { increment: 1 } },
    });
    // The version bump already ends them; revoking the rows too keeps /account's list truthful.
    if (count === 1) await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
    return count === 1;
  });
}

export function findUserByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email }, select: { id: true, email: true } });
}

export function findUserById(db: Db, id: string) {
  return db.user.findUnique({ where: { id }, select: { id: true, email: true, emailAlerts: true } });
}
