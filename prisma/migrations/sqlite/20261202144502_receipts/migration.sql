-- CreateTable
CREATE TABLE "DocumentCounter" (
    "series" TEXT NOT NULL PRIMARY KEY,
    "next" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Receipt" (
    "number" TEXT NOT NULL PRIMARY KEY,
    "purchaseId" TEXT NOT NULL,
    "issuedAt" DATETIME NOT NULL,
    CONSTRAINT "Receipt_purchaseId_fkey" FOREIGN KEY ("purchaseId") REFERENCES "Purchase" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CreditNote" (
    "number" TEXT NOT NULL PRIMARY KEY,
    "purchaseId" TEXT NOT NULL,
    "stripeRefundId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "taxAmount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "issuedAt" DATETIME NOT NULL,
    CONSTRAINT "CreditNote_purchaseId_fkey" FOREIGN KEY ("purchaseId") REFERENCES "Purchase" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Receipt_purchaseId_key" ON "Receipt"("purchaseId");

-- CreateIndex
CREATE UNIQUE INDEX "CreditNote_stripeRefundId_key" ON "CreditNote"("stripeRefundId");

-- CreateIndex
CREATE INDEX "CreditNote_purchaseId_issuedAt_idx" ON "CreditNote"("purchaseId", "issuedAt");

-- Existing purchases get their receipt numbers in the order they were made, W-000001 onwards,
-- dated when they were made, and the receipt counter continues after them.
INSERT INTO "Receipt" ("number", "purchaseId", "issuedAt")
SELECT 'W-' || printf('%06d', ROW_NUMBER() OVER (ORDER BY "createdAt", "id")), "id", "createdAt" FROM "Purchase";
INSERT INTO "DocumentCounter" ("series", "next") SELECT 'receipt', COUNT(*) + 1 FROM "Purchase";
INSERT INTO "DocumentCounter" ("series", "next") VALUES ('credit-note', 1);
