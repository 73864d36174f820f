import type { Db } from '../db/database.ts';
import { findThesisMetaBySlug } from '../catalog/thesis-lookup.repo.ts';
import { findUserById } from '../accounts/users.repo.ts';
import { isVerifiedViewer, type Viewer } from '../accounts/viewer.ts';
import type { SuccessSignIn } from './success-sign-in.ts';

/**
 * The locals of views/checkout-success.hbs. The success URL can be forwarded and the address typed on
 * Stripe's page proves nothing, so the receipt's address is named only to a session that already
 * speaks in full for the buyer's account (signed in from the inbox): never to an unverified session
 * the page opened, another account's session or a browser without a session.
 */
export async function successPageLocals(db: Db, slug: string, signIn: SuccessSignIn, viewer: Viewer | null) {
  const [thesis, viewerUser] = await Promise.all([
    findThesisMetaBySlug(db, slug),
    viewer && (signIn === 'other-account' || (signIn === 'signed-in' && isVerifiedViewer(viewer))) ? findUserById(db, viewer.userId) : null,
  ]);
  const thesisPath = `/theses/${slug}`;
  return {
    title: 'Thank you',
    thesisPath,
    thesisTitle: thesis?.title ?? null,
    boardPath: `${thesisPath}/signals`,
    signIn: { [signIn]: true },
    receiptEmail: signIn === 'signed-in' ? viewerUser?.email : undefined,
    viewerEmail: signIn === 'other-account' ? viewerUser?.email : undefined,
  };
}
