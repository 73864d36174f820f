-- AlterTable
ALTER TABLE "SignalUpdate" ADD COLUMN "revealsAt" DATETIME;

-- Entries recorded before: their reveal time under the shortest embargo the thesis has had (its
-- revisions' and today's, a revision without one having had the 30-day default), fixed from here on. Today's
-- alone would hide again what an embargo raised before the upgrade had already shown.
UPDATE "SignalUpdate" SET "revealsAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', "recordedAt", '+' || (
  SELECT MIN("days") FROM (
    SELECT "recordEmbargoDays" AS "days" FROM "Thesis" WHERE "Thesis"."id" = "SignalUpdate"."thesisId"
    UNION ALL
    SELECT COALESCE(json_extract("snapshot", '$.recordEmbargoDays'), 30) FROM "ThesisRevision" WHERE "ThesisRevision"."thesisId" = "SignalUpdate"."thesisId"
  )
) || ' days');
