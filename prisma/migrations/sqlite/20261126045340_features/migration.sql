-- CreateTable
CREATE TABLE "ThesisRevision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "thesisId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "authorEmail" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "ThesisRevision_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ThesisSlugRedirect" (
    "oldSlug" TEXT NOT NULL PRIMARY KEY,
    "thesisId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ThesisSlugRedirect_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SignalUpdate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "thesisId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "signalId" TEXT NOT NULL,
    "signalTitle" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "previousStatus" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "correctsSequence" INTEGER,
    "occurredAt" DATETIME NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    "alert" BOOLEAN NOT NULL DEFAULT false,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "SignalUpdate_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "SignalUpdate_signalId_fkey" FOREIGN KEY ("signalId") REFERENCES "Signal" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Thesis" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "series" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "tagline" TEXT NOT NULL,
    "priceAmount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'cad',
    "publicBody" TEXT NOT NULL,
    "footer" TEXT NOT NULL DEFAULT '',
    "publishedAt" DATETIME,
    "archivedAt" DATETIME,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "disclosurePosition" TEXT NOT NULL DEFAULT '',
    "disclosurePositionSince" DATETIME,
    "disclosureCompensation" TEXT NOT NULL DEFAULT '',
    "disclosureStatement" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Thesis" ("createdAt", "currency", "footer", "id", "priceAmount", "publicBody", "publishedAt", "series", "slug", "subject", "tagline", "title", "updatedAt") SELECT "createdAt", "currency", "footer", "id", "priceAmount", "publicBody", "publishedAt", "series", "slug", "subject", "tagline", "title", "updatedAt" FROM "Thesis";
DROP TABLE "Thesis";
ALTER TABLE "new_Thesis" RENAME TO "Thesis";
CREATE UNIQUE INDEX "Thesis_slug_key" ON "Thesis"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ThesisRevision_thesisId_number_key" ON "ThesisRevision"("thesisId", "number");

-- CreateIndex
CREATE INDEX "SignalUpdate_signalId_sequence_idx" ON "SignalUpdate"("signalId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "SignalUpdate_thesisId_sequence_key" ON "SignalUpdate"("thesisId", "sequence");
