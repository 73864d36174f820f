import type { Db } from '../db/database.ts';

export function searchMembers(db: Db, query: string) {
  return db.user.findMany({
    where: query ? { email: { contains: query.toLowerCase() } } : {},
    orderBy: { createdAt: 'desc' },
    take: 200,
    select: {
      id: true,
      email: true,
      createdAt: true,
      _count: { select: { purchases: true } },
      entitlements: { where: { status: 'active' }, select: { id: true } },
    },
  });
}

export function findMember(db: Db, id: string) {
  return db.user.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      createdAt: true,
      emailAlerts: true,
      purchases: {
        orderBy: { createdAt: 'desc' },
        select: { id: true, amount: true, discountAmount: true, promotionCode: true, currency: true, status: true, createdAt: true, checkoutSessionId: true, paymentIntentId: true, thesis: { select: { title: true } }, offer: { select: { code: true } }, receipt: { select: { number: true } },
          // A gift: for whom, when, and whether it was delivered.
          gift: { select: { recipientEmail: true, deliverOn: true, deliveredAt: true, cancelledAt: true } },
        },
      },
      entitlements: {
        orderBy: { createdAt: 'asc' },
        select: { id: true, source: true, status: true, createdAt: true, updatedAt: true, revokedAt: true, revokedReason: true, thesis: { select: { title: true } },
          // An entitlement from a gift: who paid for it.
          purchase: { select: { gift: { select: { id: true } }, user: { select: { email: true } } } },
        },
      },
    },
  });
}

export function listThesesForGrant(db: Db) {
  return db.thesis.findMany({ orderBy: { createdAt: 'asc' }, select: { id: true, title: true } });
}

export function thesisExists(db: Db, id: string) {
  return db.thesis.findUnique({ where: { id }, select: { id: true } });
}

export function recentAlerts(db: Db) {
  return db.adminAlert.findMany({ orderBy: { createdAt: 'desc' }, take: 10, select: { kind: true, detail: true, createdAt: true } });
}

export function allMembersForExport(db: Db) {
  return db.user.findMany({
    orderBy: { createdAt: 'asc' },
    select: {
      email: true,
      createdAt: true,
      emailAlerts: true,
      entitlements: { select: { status: true, source: true, thesis: { select: { slug: true } } } },
    },
  });
}

export function allPurchasesForExport(db: Db) {
  return db.purchase.findMany({
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      createdAt: true,
      amount: true,
      discountAmount: true,
      promotionCode: true,
      currency: true,
      status: true,
      checkoutSessionId: true,
      paymentIntentId: true,
      user: { select: { email: true } },
      thesis: { select: { slug: true } },
    },
  });
}
