import { randomUUID } from 'node:crypto';
import { Prisma, type Db, type Tx } from '../db/database.ts';

/**
 * One user per normalised e-mail address; `email` must already be normalised. One statement (it
 * runs for every purchase): the no-op update makes RETURNING give the existing row too, and locks
 * it on PostgreSQL as Prisma's upsert would. New rows get the defaults of schema.prisma, created `now`.
 */
export async function findOrCreateUser(db: Db | Tx, email: string, now: Date): Promise<{ id: string; email: string }> {
  return { id: (await findOrCreateUsers(db, [email], now)).get(email)!, email };
}

/**
 * The same for many addresses in one statement (a batch of webhooks), as a map from address to user
 * id. Each address once (PostgreSQL updates a row only once per statement), in sorted order, so two
 * transactions lock the rows they share in the same order and cannot deadlock on them.
 */
export async function findOrCreateUsers(db: Db | Tx, emails: readonly string[], now: Date): Promise<Map<string, string>> {
  const rows = [...new Set(emails)].sort().map((email) => Prisma.sql`(${randomUUID()}, ${email}, 'member', 0, true, ${now})`);
  const users = await db.$queryRaw<{ id: string; email: string }[]>`
    INSERT INTO "User" ("id", "email", "role", "sessionVersion", "emailAlerts", "createdAt")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("email") DO UPDATE SET "email" = excluded."email"
    RETURNING "id", "email"`;
  return new Map(users.map((user) => [user.email, user.id]));
}

export function findUserByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email }, select: { id: true, email: true } });
}

export function findUserById(db: Db, id: string) {
  return db.user.findUnique({ where: { id }, select: { id: true, email: true, emailAlerts: true } });
}
