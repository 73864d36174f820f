-- AlterTable
ALTER TABLE "SignalUpdate" ADD COLUMN     "revealsAt" TIMESTAMP(3);

-- Entries recorded before: their reveal time under the embargo in force now, fixed from here on.
UPDATE "SignalUpdate" AS u SET "revealsAt" = u."recordedAt" + make_interval(days => t."recordEmbargoDays")
  FROM "Thesis" AS t WHERE t."id" = u."thesisId";
