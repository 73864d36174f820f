import type { Tx } from '../db/database.ts';
import { mayReadMembersLayer } from './access.ts';

export interface EntitledMember {
  userId: string;
  email: string;
}

/**
 * Everyone who may read a thesis's members' layer right now, for mail sent to all of them. Each
 * whole entitlement row goes through the same pure decision as a page view, so whatever that decision
 * learns to check (revocation, expiry) applies to these lists too.
 */
export async function listEntitledMembers(db: Tx, thesisId: string): Promise<EntitledMember[]> {
  const entitlements = await db.entitlement.findMany({
    where: { thesisId },
    include: { user: { select: { id: true, email: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return entitlements
    .filter((entitlement) => mayReadMembersLayer({ userId: entitlement.userId }, entitlement, thesisId))
    .map((entitlement) => ({ userId: entitlement.user.id, email: entitlement.user.email }));
}
