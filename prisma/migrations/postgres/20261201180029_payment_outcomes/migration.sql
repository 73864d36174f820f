-- AlterTable
ALTER TABLE "Purchase" ADD COLUMN     "discountAmount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "promotionCode" TEXT;

-- CreateTable
CREATE TABLE "DuplicateRefund" (
    "id" TEXT NOT NULL,
    "checkoutSessionId" TEXT NOT NULL,
    "paymentIntentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "refundId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DuplicateRefund_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DuplicateRefund_checkoutSessionId_key" ON "DuplicateRefund"("checkoutSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "DuplicateRefund_paymentIntentId_key" ON "DuplicateRefund"("paymentIntentId");

-- CreateIndex
CREATE INDEX "DuplicateRefund_status_nextAttemptAt_idx" ON "DuplicateRefund"("status", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "DuplicateRefund" ADD CONSTRAINT "DuplicateRefund_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuplicateRefund" ADD CONSTRAINT "DuplicateRefund_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
