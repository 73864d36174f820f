-- AlterTable
ALTER TABLE "SignalUpdate" ADD COLUMN     "editorial" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'signal',
ADD COLUMN     "previousSectionText" TEXT,
ADD COLUMN     "previousTextSha256" TEXT,
ADD COLUMN     "sectionKey" TEXT,
ADD COLUMN     "sectionText" TEXT,
ADD COLUMN     "sectionTitle" TEXT,
ADD COLUMN     "textSha256" TEXT,
ALTER COLUMN "signalId" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "SignalUpdate_thesisId_kind_sectionKey_idx" ON "SignalUpdate"("thesisId", "kind", "sectionKey");
