import { randomUUID } from 'node:crypto';
import { Prisma, type Db, type Tx } from '../db/database.ts';
import { entitlementStatusFor, purchaseStatusFor, type AccessChange, type EntitlementStatus, type PaymentFacts } from './standing.ts';

/**
 * Brings one purchase and its entitlement in line with its payment's state. A complimentary grant
 * does not depend on a payment and is left alone; an entitlement an admin revoked stays revoked
 * whatever a later event says (only a new purchase or grant gives access back). Returns how the
 * entitlement moved (null when this purchase's payment does not govern it), for the member's notice.
 */
export async function applyPaymentToPurchase(tx: Tx, purchaseId: string, payment: PaymentFacts | null, now: Date): Promise<AccessChange | null> {
  const status = purchaseStatusFor(payment);
  await tx.purchase.update({ where: { id: purchaseId }, data: { status }, select: { id: true } });
  // By the purchase, not its buyer: a gift's entitlement is its recipient's.
  const entitlement = await tx.entitlement.findUnique({ where: { purchaseId } });
  if (!entitlement || entitlement.purchaseId !== purchaseId || entitlement.revokedReason === 'admin') return null;
  const to = entitlementStatusFor(status);
  // Already so (an admin's refund applied it before its webhook came): its dates stay as they were.
  const reason = to === 'revoked' ? status : null;
  if (entitlement.status !== to || entitlement.revokedReason !== reason) await setEntitlementStatus(tx, entitlement.id, to, status, now);
  return { from: entitlement.status as EntitlementStatus, to };
}

async function setEntitlementStatus(tx: Tx, id: string, status: string, reason: string, now: Date) {
  await tx.entitlement.update({
    where: { id },
    data: {
      status,
      suspendedAt: status === 'suspended' ? now : null,
      revokedAt: status === 'revoked' ? now : null,
      revokedReason: status === 'revoked' ? reason : null,
      updatedAt: now,
    },
  });
}

/**
 * Fresh paid purchases give (or give back) access to their theses, in one statement. Raw SQL, the
 * native upsert Prisma would send at a fraction of its cost (every fulfilment runs it): v4 uuids as
 * Prisma's default, created and updated `now`. Two purchases of one thesis by one member in the same
 * call: the later one is kept, as if they had been granted in turn (PostgreSQL updates a row only
 * once per statement).
 */
export async function grantFromPurchases(tx: Tx, purchases: readonly { id: string; userId: string; thesisId: string }[], now: Date): Promise<void> {
  const latest = new Map(purchases.map((purchase) => [`${purchase.userId} ${purchase.thesisId}`, purchase]));
  if (latest.size === 0) return;
  const rows = [...latest.values()].map(
    (purchase) => Prisma.sql`(${randomUUID()}, ${purchase.userId}, ${purchase.thesisId}, ${purchase.id}, 'purchase', NULL, 'active', NULL, NULL, NULL, ${now}, ${now})`,
  );
  await tx.$executeRaw`
    INSERT INTO "Entitlement" ("id", "userId", "thesisId", "purchaseId", "source", "grantedById", "status", "suspendedAt", "revokedAt", "revokedReason", "createdAt", "updatedAt")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("userId", "thesisId") DO UPDATE SET
      "purchaseId" = excluded."purchaseId", "source" = 'purchase', "grantedById" = NULL, "status" = 'active',
      "suspendedAt" = NULL, "revokedAt" = NULL, "revokedReason" = NULL, "updatedAt" = excluded."updatedAt"`;
}

/**
 * Which of these (address, thesis) pairs can already read the thesis (an active entitlement of the
 * account with that address), as `address thesisId` keys: in one statement for a batch of sales.
 */
export async function activeReaders(tx: Db | Tx, pairs: readonly { email: string; thesisId: string }[]): Promise<Set<string>> {
  const emails = [...new Set(pairs.map((pair) => pair.email))];
  if (emails.length === 0) return new Set();
  const rows = await tx.$queryRaw<{ email: string; thesisId: string }[]>`
    SELECT u."email", e."thesisId" FROM "Entitlement" e JOIN "User" u ON u."id" = e."userId"
    WHERE e."status" = 'active' AND u."email" IN (${Prisma.join(emails)})`;
  return new Set(rows.map((row) => readerKey(row)));
}

export const readerKey = (pair: { email: string; thesisId: string }) => `${pair.email} ${pair.thesisId}`;

/** A complimentary entitlement from an admin; replaces whatever (revoked) entitlement was there. */
export async function grantComplimentary(db: Db | Tx, userId: string, thesisId: string, adminId: string, now: Date): Promise<void> {
  const grant = { source: 'grant', purchaseId: null, grantedById: adminId, status: 'active', suspendedAt: null, revokedAt: null, revokedReason: null, updatedAt: now };
  await db.entitlement.upsert({ where: { userId_thesisId: { userId, thesisId } }, create: { userId, thesisId, ...grant, createdAt: now }, update: grant });
}

export async function revokeByAdmin(db: Db | Tx, entitlementId: string, now: Date): Promise<boolean> {
  const { count } = await db.entitlement.updateMany({
    where: { id: entitlementId },
    data: { status: 'revoked', revokedAt: now, revokedReason: 'admin', suspendedAt: null, updatedAt: now },
  });
  return count === 1;
}

export function findEntitlement(db: Db | Tx, userId: string, thesisId: string) {
  return db.entitlement.findUnique({ where: { userId_thesisId: { userId, thesisId } }, select: { status: true } });
}
