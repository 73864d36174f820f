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

-- CreateIndex
CREATE UNIQUE INDEX "ThesisRevision_thesisId_number_key" ON "ThesisRevision"("thesisId", "number");

-- AddForeignKey
ALTER TABLE "ThesisRevision" ADD CONSTRAINT "ThesisRevision_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ThesisSlugRedirect" ADD CONSTRAINT "ThesisSlugRedirect_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis"("id") ON DELETE CASCADE ON UPDATE CASCADE;
