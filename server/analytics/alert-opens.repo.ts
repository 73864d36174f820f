import type { Db } from '../db/database.ts';

/** Records one member's open of an alert's thesis; a second one for the same alert and member changes nothing. */
export async function addAlertOpen(db: Db, open: { signalUpdateId: string; thesisId: string; userId: string; openedAt: Date }): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "AlertOpen" ("signalUpdateId", "thesisId", "userId", "openedAt")
    VALUES (${open.signalUpdateId}, ${open.thesisId}, ${open.userId}, ${open.openedAt})
    ON CONFLICT ("signalUpdateId", "userId") DO NOTHING`;
}

/** How many members opened each of these alerts' theses within a day, by alert id (absent: none). */
export async function countAlertOpens(db: Db, signalUpdateIds: readonly string[]): Promise<Map<string, number>> {
  if (signalUpdateIds.length === 0) return new Map();
  const groups = await db.alertOpen.groupBy({ by: ['signalUpdateId'], where: { signalUpdateId: { in: [...signalUpdateIds] } }, _count: { _all: true } });
  return new Map(groups.map((group) => [group.signalUpdateId, group._count._all]));
}
