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
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "recordEmbargoDays" INTEGER NOT NULL DEFAULT 30,
    "publicClosing" TEXT NOT NULL DEFAULT '',
    "membersExcerpt" TEXT NOT NULL DEFAULT ''
);
INSERT INTO "new_Thesis" ("archivedAt", "createdAt", "currency", "disclosureCompensation", "disclosurePosition", "disclosurePositionSince", "disclosureStatement", "footer", "id", "priceAmount", "publicBody", "publicClosing", "publishedAt", "recordEmbargoDays", "revision", "series", "slug", "subject", "tagline", "title", "updatedAt") SELECT "archivedAt", "createdAt", "currency", "disclosureCompensation", "disclosurePosition", "disclosurePositionSince", "disclosureStatement", "footer", "id", "priceAmount", "publicBody", "publicClosing", "publishedAt", "recordEmbargoDays", "revision", "series", "slug", "subject", "tagline", "title", "updatedAt" FROM "Thesis";
DROP TABLE "Thesis";
ALTER TABLE "new_Thesis" RENAME TO "Thesis";
CREATE UNIQUE INDEX "Thesis_slug_key" ON "Thesis"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
