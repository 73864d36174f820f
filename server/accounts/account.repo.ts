import type { Db } from '../db/database.ts';

const purchaseFields = {
  id: true,
  amount: true,
  currency: true,
  status: true,
  createdAt: true,
  checkoutSessionId: true,
  thesis: { select: { title: true, slug: true } },
} as const;

/** Whose purchases and theses a session may list: the account's, or one thesis's for an unverified session. */
export interface AccountScope {
  userId: string;
  thesisId?: string;
}

const scoped = ({ userId, thesisId }: AccountScope) => ({ userId, ...(thesisId !== undefined && { thesisId }) });

export function listPurchasesOf(db: Db, scope: AccountScope) {
  return db.purchase.findMany({ where: scoped(scope), orderBy: { createdAt: 'desc' }, select: purchaseFields });
}

/** Only the owner's own purchase: any other id is "not found", whoever owns it. */
export function findPurchaseOf(db: Db, scope: AccountScope, purchaseId: string) {
  return db.purchase.findFirst({ where: { id: purchaseId, ...scoped(scope) }, select: purchaseFields });
}

export function listReadableTheses(db: Db, scope: AccountScope) {
  return db.entitlement.findMany({
    where: { ...scoped(scope), status: 'active' },
    orderBy: { createdAt: 'asc' },
    select: { source: true, thesis: { select: { title: true, slug: true } } },
  });
}

export async function setEmailAlerts(db: Db, userId: string, emailAlerts: boolean): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { emailAlerts } });
}
