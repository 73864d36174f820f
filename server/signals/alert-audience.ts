import type { Db } from '../db/database.ts';
import { listEntitledMembers } from '../access/entitled-members.ts';
import { alertConsents, type AlertConsent } from '../mail/mail.repo.ts';

/**
 * How many members an alert about this thesis would reach now: the entitled members, less those who
 * turned alerts off or whose level for the thesis leaves it out. The same two rules the outbox applies
 * (signal-alerts.ts), so the number the admin reads is the number of e-mails queued. A move of status
 * and a note that leaves the status where it was can reach different people ("all updates" only).
 */
export async function alertAudience(db: Db, thesisId: string): Promise<{ statusChange: number; noteOnly: number }> {
  const members = await listEntitledMembers(db, thesisId);
  const asked = (change: 'status' | 'note') =>
    alertConsents(db, members.map((member) => ({ userId: member.userId, recipient: member.email, alert: { thesisId, change } })));
  const [status, note] = await Promise.all([asked('status'), asked('note')]);
  const accepted = (consents: readonly AlertConsent[]) => consents.filter((consent) => 'userId' in consent).length;
  return { statusChange: accepted(status), noteOnly: accepted(note) };
}
