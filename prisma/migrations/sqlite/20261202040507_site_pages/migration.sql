-- CreateTable
CREATE TABLE "SitePage" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "markdown" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT NOT NULL
);
