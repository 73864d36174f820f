import type { Db } from '../db/database.ts';
import type { Viewer } from '../accounts/viewer.ts';

export interface EntitlementState {
  thesisId: string;
  /** active | suspended | revoked */
  status: string;
}

type SessionViewer = Pick<Viewer, 'userId' | 'unverifiedFor'>;

/**
 * Whether the session itself may reach this thesis, whatever the account holds: an unverified
 * session (opened from an address typed on Stripe's page) reaches only the thesis it was opened
 * for, so paying once with someone's address never opens what that person bought.
 */
export function sessionReaches(viewer: SessionViewer | null, thesisId: string): viewer is SessionViewer {
  return viewer !== null && (viewer.unverifiedFor === undefined || viewer.unverifiedFor === thesisId);
}

/**
 * The paywall decision, kept pure so it can be tested on its own: members' content is served only
 * to a signed-in viewer whose session reaches this thesis and who holds an active entitlement to it
 * (not a suspended one while a dispute is open, not a revoked one after a refund, a lost dispute or
 * an admin's revoke).
 */
export function mayReadMembersLayer(viewer: SessionViewer | null, entitlement: EntitlementState | null, thesisId: string): boolean {
  return sessionReaches(viewer, thesisId) && entitlement !== null && entitlement.thesisId === thesisId && entitlement.status === 'active';
}

/** The one entry point every members'-layer check goes through: one indexed lookup, nothing else. */
export async function canReadMembersLayer(db: Db, viewer: SessionViewer | null, thesisId: string): Promise<boolean> {
  if (!sessionReaches(viewer, thesisId)) return false;
  const entitlement = await db.entitlement.findUnique({
    where: { userId_thesisId: { userId: viewer.userId, thesisId } },
    select: { thesisId: true, status: true },
  });
  return mayReadMembersLayer(viewer, entitlement, thesisId);
}
