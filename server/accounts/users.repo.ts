import type { Db, Tx } from '../db/database.ts';

/**
 * One user per normalised e-mail address; `email` must already be normalised. The no-op update
 * (`email` to itself) lets Prisma run one native INSERT … ON CONFLICT DO UPDATE … RETURNING
 * instead of a read, an insert and a read again.
 */
export function findOrCreateUser(db: Db | Tx, email: string) {
  return db.user.upsert({ where: { email }, create: { email }, update: { email }, select: { id: true, email: true } });
}

export function findUserByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email }, select: { id: true, email: true } });
}

export function findUserById(db: Db, id: string) {
  return db.user.findUnique({ where: { id }, select: { id: true, email: true, emailAlerts: true } });
}
