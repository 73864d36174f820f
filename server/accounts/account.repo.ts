import type { Db } from '../db/database.ts';

const purchaseFields = {
  id: true,
  amount: true,
  taxAmount: true,
  currency: true,
  status: true,
  createdAt: true,
  checkoutSessionId: true,
  thesis: { select: { title: true, slug: true } },
  receipt: { select: { number: true } },
} as const;

/** Whose theses a session may list: the account's, or one thesis's for an unverified session. */
export interface AccountScope {
  userId: string;
  thesisId?: string;
}

export function listPurchasesOf(db: Db, userId: string) {
  return db.purchase.findMany({ where: { userId }, orderBy: { createdAt: 'desc' }, select: purchaseFields });
}

/** Whether a purchase was paid with Stripe test keys, as its checkout attempt recorded; no attempt → false. */
export async function paidInTestMode(db: Db, checkoutSessionId: string): Promise<boolean> {
  const attempt = await db.checkoutAttempt.findUnique({ where: { checkoutSessionId }, select: { livemode: true } });
  return attempt !== null && !attempt.livemode;
}

/** Only the owner's own purchase: any other id is "not found", whoever owns it. */
export function findPurchaseOf(db: Db, userId: string, purchaseId: string) {
  return db.purchase.findFirst({ where: { id: purchaseId, userId }, select: purchaseFields });
}

export function listReadableTheses(db: Db, scope: AccountScope) {
  return db.entitlement.findMany({
    where: { userId: scope.userId, ...(scope.thesisId !== undefined && { thesisId: scope.thesisId }), status: 'active' },
    orderBy: { createdAt: 'asc' },
    select: {
      source: true,
      thesis: { select: { id: true, title: true, slug: true } },
      // A gift's entitlement: who gave it (the signed-in buyer; null when bought signed out).
      purchase: { select: { gift: { select: { buyer: { select: { email: true } } } } } },
    },
  });
}

/** The gifts an account gave: filled in while signed in, or paid with its address. */
export function listGiftsSent(db: Db, userId: string) {
  return db.gift.findMany({
    where: { purchaseId: { not: null }, OR: [{ buyerUserId: userId }, { purchase: { userId } }] },
    orderBy: { createdAt: 'desc' },
    select: { id: true, recipientEmail: true, deliverOn: true, deliveredAt: true, cancelledAt: true, thesis: { select: { title: true } } },
  });
}

export async function setEmailAlerts(db: Db, userId: string, emailAlerts: boolean): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { emailAlerts } });
}
