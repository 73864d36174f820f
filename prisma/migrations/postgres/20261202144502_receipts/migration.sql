-- CreateTable
CREATE TABLE "DocumentCounter" (
    "series" TEXT NOT NULL,
    "next" INTEGER NOT NULL,

    CONSTRAINT "DocumentCounter_pkey" PRIMARY KEY ("series")
);

-- CreateTable
CREATE TABLE "Receipt" (
    "number" TEXT NOT NULL,
    "purchaseId" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Receipt_pkey" PRIMARY KEY ("number")
);

-- CreateTable
CREATE TABLE "CreditNote" (
    "number" TEXT NOT NULL,
    "purchaseId" TEXT NOT NULL,
    "stripeRefundId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "taxAmount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CreditNote_pkey" PRIMARY KEY ("number")
);

-- CreateIndex
CREATE UNIQUE INDEX "Receipt_purchaseId_key" ON "Receipt"("purchaseId");

-- CreateIndex
CREATE UNIQUE INDEX "CreditNote_stripeRefundId_key" ON "CreditNote"("stripeRefundId");

-- CreateIndex
CREATE INDEX "CreditNote_purchaseId_issuedAt_idx" ON "CreditNote"("purchaseId", "issuedAt");

-- AddForeignKey
ALTER TABLE "Receipt" ADD CONSTRAINT "Receipt_purchaseId_fkey" FOREIGN KEY ("purchaseId") REFERENCES "Purchase"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreditNote" ADD CONSTRAINT "CreditNote_purchaseId_fkey" FOREIGN KEY ("purchaseId") REFERENCES "Purchase"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Existing purchases get their receipt numbers in the order they were made, W-000001 onwards,
-- dated when they were made, and the receipt counter continues after them.
INSERT INTO "Receipt" ("number", "purchaseId", "issuedAt")
SELECT 'W-' || lpad((ROW_NUMBER() OVER (ORDER BY "createdAt", "id"))::text, 6, '0'), "id", "createdAt" FROM "Purchase";
INSERT INTO "DocumentCounter" ("series", "next") SELECT 'receipt', COUNT(*) + 1 FROM "Purchase";
INSERT INTO "DocumentCounter" ("series", "next") VALUES ('credit-note', 1);
