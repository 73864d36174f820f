-- CreateTable
CREATE TABLE "AdminRefund" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "purchaseId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "requestedBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "pendingKey" TEXT,
    "stripeRefundId" TEXT,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AdminRefund_purchaseId_fkey" FOREIGN KEY ("purchaseId") REFERENCES "Purchase" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "AdminRefund_pendingKey_key" ON "AdminRefund"("pendingKey");

-- CreateIndex
CREATE UNIQUE INDEX "AdminRefund_stripeRefundId_key" ON "AdminRefund"("stripeRefundId");

-- CreateIndex
CREATE INDEX "AdminRefund_purchaseId_createdAt_idx" ON "AdminRefund"("purchaseId", "createdAt");
