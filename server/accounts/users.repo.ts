import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../db/database.ts';

/**
 * One user per normalised e-mail address; `email` must already be normalised. One statement (it
 * runs for every purchase): the no-op update makes RETURNING give the existing row too, and locks
 * it on PostgreSQL as Prisma's upsert would. New rows get the defaults Prisma fills (schema.prisma).
 */
export async function findOrCreateUser(db: Db | Tx, email: string): Promise<{ id: string; email: string }> {
  const [user] = await db.$queryRaw<{ id: string; email: string }[]>`
    INSERT INTO "User" ("id", "email", "role", "sessionVersion", "emailAlerts", "createdAt")
    VALUES (${randomUUID()}, ${email}, 'member', 0, true, ${new Date()})
    ON CONFLICT ("email") DO UPDATE SET "email" = excluded."email"
    RETURNING "id", "email"`;
  return user!;
}

export function findUserByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email }, select: { id: true, email: true } });
}

export function findUserById(db: Db, id: string) {
  return db.user.findUnique({ where: { id }, select: { id: true, email: true, emailAlerts: true } });
}
