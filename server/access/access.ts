import type { Db } from '../db/database.ts';
import type { Viewer } from '../accounts/viewer.ts';

export interface EntitlementState {
  thesisId: string;
  /** active | suspended | revoked */
  status: string;
}

/**
 * The paywall decision, kept pure so it can be tested on its own: members' content is served only
 * to a signed-in viewer holding an active entitlement to this very thesis (not a suspended one
 * while a dispute is open, not a revoked one after a refund, a lost dispute or an admin's revoke).
 */
export function mayReadMembersLayer(viewer: Pick<Viewer, 'userId'> | null, entitlement: EntitlementState | null, thesisId: string): boolean {
  return viewer !== null && entitlement !== null && entitlement.thesisId === thesisId && entitlement.status === 'active';
}

/** The one entry point every members'-layer check goes through: one indexed lookup, nothing else. */
export async function canReadMembersLayer(db: Db, viewer: Pick<Viewer, 'userId'> | null, thesisId: string): Promise<boolean> {
  if (!viewer) return false;
  const entitlement = await db.entitlement.findUnique({
    where: { userId_thesisId: { userId: viewer.userId, thesisId } },
    select: { thesisId: true, status: true },
  });
  return mayReadMembersLayer(viewer, entitlement, thesisId);
}
