-- CreateTable
CREATE TABLE "AlertOpen" (
    "signalUpdateId" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertOpen_pkey" PRIMARY KEY ("signalUpdateId","userId")
);

-- CreateIndex
CREATE INDEX "AlertOpen_thesisId_openedAt_idx" ON "AlertOpen"("thesisId", "openedAt");
