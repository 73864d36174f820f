-- AlterTable
ALTER TABLE "SignalUpdate" ADD COLUMN     "revealsAt" TIMESTAMP(3);

-- Entries recorded before: their reveal time under the shortest embargo the thesis has had (its
-- revisions' and today's, a revision without one having had the 30-day default), fixed from here on. Today's
-- alone would hide again what an embargo raised before the upgrade had already shown.
UPDATE "SignalUpdate" AS u SET "revealsAt" = u."recordedAt" + make_interval(days => (
  SELECT MIN(d."days") FROM (
    SELECT t."recordEmbargoDays" AS "days" FROM "Thesis" AS t WHERE t."id" = u."thesisId"
    UNION ALL
    SELECT COALESCE((r."snapshot"::jsonb ->> 'recordEmbargoDays')::int, 30) FROM "ThesisRevision" AS r WHERE r."thesisId" = u."thesisId"
  ) AS d
));
