-- CreateTable
CREATE TABLE "ChangeCounter" (
    "topic" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL DEFAULT 0
);
