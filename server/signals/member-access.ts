import type { Db } from '../db/database.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { canReadMembersLayer } from '../access/access.ts';
import { findPublishedThesisMeta, type ThesisMeta } from '../catalog/thesis-lookup.repo.ts';
import { HttpError, notFound } from '../http/errors.ts';

/** Said to anyone without access, on every members' signal route: no content, only the way in. */
export const membersOnly = () =>
  new HttpError(403, "Signal tracking is part of this thesis's members' layer. Sign in with the e-mail you bought it with.", 'Members only');

/**
 * The gate of every members' signal route: an unknown or unpublished thesis is 404, anyone not
 * entitled to it (anonymous, another thesis's buyer, revoked) is 403, decided by the one paywall rule.
 */
export async function requireMemberThesis(db: Db, slug: string, viewer: Viewer | null, now: Date): Promise<{ thesis: ThesisMeta; viewer: Viewer }> {
  const thesis = await findPublishedThesisMeta(db, slug, now);
  if (!thesis) throw notFound('We could not find that thesis. It may have moved or not be published yet.');
  if (!viewer || !(await canReadMembersLayer(db, viewer, thesis.id))) throw membersOnly();
  return { thesis, viewer };
}
