-- CreateTable
CREATE TABLE "AlertOpen" (
    "signalUpdateId" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "openedAt" DATETIME NOT NULL,

    PRIMARY KEY ("signalUpdateId", "userId")
);

-- CreateIndex
CREATE INDEX "AlertOpen_thesisId_openedAt_idx" ON "AlertOpen"("thesisId", "openedAt");
