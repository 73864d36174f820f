import type { Db } from '../db/database.ts';
import type { BuyerSource } from './checkout-attempts.ts';

const SESSIONS_PER_READ = 1_000;

/** One purchase made in a period, with where its buyer came from (its checkout attempt's source). */
export interface SourcedPurchase {
  source: BuyerSource;
  amount: number;
  currency: string;
  /** paid | refunded | disputed | dispute_lost, now. */
  status: string;
  /** What the admin refunded of it so far (succeeded partial or full refunds), minor units. */
  refunded: number;
}

/**
 * Purchases made in [from, until), of one thesis or of all, each with its attempt's source (none:
 * a purchase without an attempt cannot exist since attempts are required, but reads as direct).
 * Two reads joined here, not in SQL: the Purchase has no relation to its attempt, only the session id.
 */
export async function findSourcedPurchases(db: Db, from: Date, until: Date, thesisId?: string): Promise<SourcedPurchase[]> {
  const purchases = await db.purchase.findMany({
    where: { createdAt: { gte: from, lt: until }, ...(thesisId ? { thesisId } : {}) },
    select: { checkoutSessionId: true, amount: true, currency: true, status: true, adminRefunds: { where: { status: 'succeeded' }, select: { amount: true } } },
  });
  if (purchases.length === 0) return [];
  const sessionIds = purchases.map((purchase) => purchase.checkoutSessionId);
  const attempts = [];
  // In slices: both databases bound how many parameters one statement may carry.
  for (let start = 0; start < sessionIds.length; start += SESSIONS_PER_READ) {
    attempts.push(
      ...(await db.checkoutAttempt.findMany({
        where: { checkoutSessionId: { in: sessionIds.slice(start, start + SESSIONS_PER_READ) } },
        select: { checkoutSessionId: true, sourceReferrer: true, sourceUtmSource: true, sourceUtmCampaign: true, sourceRef: true },
      })),
    );
  }
  const sourceBySession = new Map(
    attempts.map((attempt) => [
      attempt.checkoutSessionId,
      { referrer: attempt.sourceReferrer, utmSource: attempt.sourceUtmSource, utmCampaign: attempt.sourceUtmCampaign, ref: attempt.sourceRef },
    ]),
  );
  const direct: BuyerSource = { referrer: null, utmSource: null, utmCampaign: null, ref: null };
  return purchases.map((purchase) => ({
    source: sourceBySession.get(purchase.checkoutSessionId) ?? direct,
    amount: purchase.amount,
    currency: purchase.currency,
    status: purchase.status,
    refunded: purchase.adminRefunds.reduce((sum, refund) => sum + refund.amount, 0),
  }));
}
