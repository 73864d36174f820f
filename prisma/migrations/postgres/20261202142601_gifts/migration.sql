-- CreateTable
CREATE TABLE "Gift" (
    "id" TEXT NOT NULL,
    "checkoutSessionId" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "buyerUserId" TEXT,
    "recipientEmail" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "deliverOn" TIMESTAMP(3) NOT NULL,
    "purchaseId" TEXT,
    "recipientUserId" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Gift_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Gift_checkoutSessionId_key" ON "Gift"("checkoutSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Gift_purchaseId_key" ON "Gift"("purchaseId");

-- CreateIndex
CREATE INDEX "Gift_deliveredAt_cancelledAt_deliverOn_idx" ON "Gift"("deliveredAt", "cancelledAt", "deliverOn");

-- CreateIndex
CREATE INDEX "Gift_recipientEmail_idx" ON "Gift"("recipientEmail");

-- AddForeignKey
ALTER TABLE "Gift" ADD CONSTRAINT "Gift_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Gift" ADD CONSTRAINT "Gift_buyerUserId_fkey" FOREIGN KEY ("buyerUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Gift" ADD CONSTRAINT "Gift_recipientUserId_fkey" FOREIGN KEY ("recipientUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Gift" ADD CONSTRAINT "Gift_purchaseId_fkey" FOREIGN KEY ("purchaseId") REFERENCES "Purchase"("id") ON DELETE SET NULL ON UPDATE CASCADE;
