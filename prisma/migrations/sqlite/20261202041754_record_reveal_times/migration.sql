-- AlterTable
ALTER TABLE "SignalUpdate" ADD COLUMN "revealsAt" DATETIME;

-- Entries recorded before: their reveal time under the embargo in force now, fixed from here on.
UPDATE "SignalUpdate" SET "revealsAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', "recordedAt",
  '+' || (SELECT "recordEmbargoDays" FROM "Thesis" WHERE "Thesis"."id" = "SignalUpdate"."thesisId") || ' days');
