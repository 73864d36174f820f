import type { OutgoingMail } from './outbox.ts';
import type { AdminSaleData } from './templates.ts';

/**
 * The "new sale" notice to each administrator (ADMIN_EMAILS). Keyed on the purchase, so a replayed
 * webhook notifies nobody twice. Fulfilment queues these with the receipt, in one statement.
 */
export function saleNotices(adminEmails: readonly string[], sale: AdminSaleData): OutgoingMail[] {
  return adminEmails.map((email) => ({ dedupeKey: `admin-sale:${sale.reference}:${email}`, template: 'admin-sale', recipient: email, data: sale }));
}
