-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SignalUpdate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "thesisId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'signal',
    "signalId" TEXT,
    "signalTitle" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "previousStatus" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "noteHtml" TEXT,
    "sourceUrl" TEXT,
    "correctsSequence" INTEGER,
    "occurredAt" DATETIME NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    "alert" BOOLEAN NOT NULL DEFAULT false,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "sectionKey" TEXT,
    "sectionTitle" TEXT,
    "sectionText" TEXT,
    "previousSectionText" TEXT,
    "textSha256" TEXT,
    "previousTextSha256" TEXT,
    "editorial" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "SignalUpdate_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "SignalUpdate_signalId_fkey" FOREIGN KEY ("signalId") REFERENCES "Signal" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_SignalUpdate" ("alert", "correctsSequence", "hash", "id", "note", "noteHtml", "occurredAt", "prevHash", "previousStatus", "recordedAt", "sequence", "signalId", "signalTitle", "sourceUrl", "status", "thesisId") SELECT "alert", "correctsSequence", "hash", "id", "note", "noteHtml", "occurredAt", "prevHash", "previousStatus", "recordedAt", "sequence", "signalId", "signalTitle", "sourceUrl", "status", "thesisId" FROM "SignalUpdate";
DROP TABLE "SignalUpdate";
ALTER TABLE "new_SignalUpdate" RENAME TO "SignalUpdate";
CREATE INDEX "SignalUpdate_signalId_sequence_idx" ON "SignalUpdate"("signalId", "sequence");
CREATE INDEX "SignalUpdate_thesisId_kind_sectionKey_idx" ON "SignalUpdate"("thesisId", "kind", "sectionKey");
CREATE UNIQUE INDEX "SignalUpdate_thesisId_sequence_key" ON "SignalUpdate"("thesisId", "sequence");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
