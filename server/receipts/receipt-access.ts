import type { Db } from '../db/database.ts';
import { isAdmin } from '../admin/admin-gate.ts';

/**
 * Who may open a receipt: the buyer it names, or an administrator. Everyone else is answered as if
 * the number did not exist (404, not 403), so receipt numbers, being sequential, cannot be probed.
 */
export const mayOpenReceipt = (viewer: { userId: string; admin: boolean }, ownerId: string) => viewer.admin || viewer.userId === ownerId;

/** Whether the signed-in person is an administrator (ADMIN_EMAILS or promoted), asked of the database. */
export async function viewerIsAdmin(db: Db, userId: string, adminEmails: readonly string[]): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, role: true } });
  return isAdmin(user, adminEmails);
}
