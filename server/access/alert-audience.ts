import type { Db } from '../db/database.ts';
import type { MailAlertAudience } from '../mail/compose.ts';

/**
 * Whether each alert's recipient still holds active access to the thesis it is about, asked when the
 * alert is delivered: a refund, a dispute or a revoke since it was queued must not let members' text
 * (a section's new wording, a signal's evidence) reach someone who may no longer read it.
 */
export function alertAudience(db: Db): MailAlertAudience {
  return {
    async stillEntitled(alerts) {
      if (alerts.length === 0) return [];
      const active = await db.entitlement.findMany({
        where: { status: 'active', userId: { in: [...new Set(alerts.map((one) => one.userId))] }, thesis: { slug: { in: [...new Set(alerts.map((one) => one.thesisSlug))] } } },
        select: { userId: true, thesis: { select: { slug: true } } },
      });
      const held = new Set(active.map((row) => `${row.userId} ${row.thesis.slug}`));
      return alerts.map((one) => held.has(`${one.userId} ${one.thesisSlug}`));
    },
  };
}
