-- AlterTable
ALTER TABLE "Thesis" ADD COLUMN     "archivedAt" TIMESTAMP(3),
ADD COLUMN     "disclosureCompensation" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "disclosurePosition" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "disclosurePositionSince" TIMESTAMP(3),
ADD COLUMN     "disclosureStatement" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "ThesisRevision" (
    "id" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "authorEmail" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ThesisRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ThesisSlugRedirect" (
    "oldSlug" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ThesisSlugRedirect_pkey" PRIMARY KEY ("oldSlug")
);

-- CreateTable
CREATE TABLE "SignalUpdate" (
    "id" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "signalId" TEXT NOT NULL,
    "signalTitle" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "previousStatus" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "correctsSequence" INTEGER,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "alert" BOOLEAN NOT NULL DEFAULT false,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "SignalUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ThesisRevision_thesisId_number_key" ON "ThesisRevision"("thesisId", "number");

-- CreateIndex
CREATE INDEX "SignalUpdate_signalId_sequence_idx" ON "SignalUpdate"("signalId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "SignalUpdate_thesisId_sequence_key" ON "SignalUpdate"("thesisId", "sequence");

-- AddForeignKey
ALTER TABLE "ThesisRevision" ADD CONSTRAINT "ThesisRevision_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ThesisSlugRedirect" ADD CONSTRAINT "ThesisSlugRedirect_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignalUpdate" ADD CONSTRAINT "SignalUpdate_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignalUpdate" ADD CONSTRAINT "SignalUpdate_signalId_fkey" FOREIGN KEY ("signalId") REFERENCES "Signal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
