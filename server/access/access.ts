import type { Db } from '../db/database.ts';
import type { Viewer } from '../accounts/viewer.ts';

export interface EntitlementState {
  thesisId: string;
}

/**
 * The paywall decision, kept pure so it can be tested on its own: members' content is served only
 * to a signed-in viewer holding an entitlement to this very thesis.
 */
export function mayReadMembersLayer(viewer: Viewer | null, entitlement: EntitlementState | null, thesisId: string): boolean {
  return viewer !== null && entitlement !== null && entitlement.thesisId === thesisId;
}

export async function canReadMembersLayer(db: Db, viewer: Viewer | null, thesisId: string): Promise<boolean> {
  if (!viewer) return false;
  const entitlement = await db.entitlement.findUnique({
    where: { userId_thesisId: { userId: viewer.userId, thesisId } },
    select: { thesisId: true },
  });
  return mayReadMembersLayer(viewer, entitlement, thesisId);
}
