import type { Db, Tx } from '../db/database.ts';
import { enqueueMail } from './outbox.ts';
import type { AdminSaleData } from './templates.ts';

/**
 * Queues the "new sale" notice to each administrator (ADMIN_EMAILS), in the fulfilment transaction.
 * Keyed on the purchase, so a replayed webhook notifies nobody twice.
 */
export async function enqueueSaleNotices(db: Tx | Db, adminEmails: readonly string[], sale: AdminSaleData): Promise<void> {
  for (const email of adminEmails) {
    await enqueueMail(db, { dedupeKey: `admin-sale:${sale.reference}:${email}`, template: 'admin-sale', recipient: email, data: sale });
  }
}
