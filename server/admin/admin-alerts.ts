import type { Db, Tx } from '../db/database.ts';
import { enqueueMail } from '../mail/outbox.ts';

export interface AdminAlertInput {
  /** Same key, one alert and one e-mail per admin: a redelivered event does not alert twice. */
  dedupeKey: string;
  kind: string;
  detail: string;
}

/** Records something an admin should look at (a refused payment, a mismatch) and e-mails ADMIN_EMAILS. */
export async function raiseAdminAlert(db: Db | Tx, adminEmails: readonly string[], alert: AdminAlertInput, now: Date): Promise<void> {
  await db.adminAlert.upsert({
    where: { dedupeKey: alert.dedupeKey },
    create: { ...alert, createdAt: now },
    update: {},
  });
  for (const recipient of adminEmails) {
    await enqueueMail(db, {
      dedupeKey: `admin-alert:${alert.dedupeKey}:${recipient}`,
      template: 'admin-alert',
      recipient,
      data: { kind: alert.kind, detail: alert.detail, occurredAt: now.toISOString() },
    }, now);
  }
}
