-- AlterTable
ALTER TABLE "Thesis" ADD COLUMN     "taxBehavior" TEXT NOT NULL DEFAULT 'exclusive';

-- AlterTable
ALTER TABLE "Purchase" ADD COLUMN     "buyerName" TEXT,
ADD COLUMN     "buyerTaxId" TEXT,
ADD COLUMN     "buyerTaxIdType" TEXT,
ADD COLUMN     "stripeInvoiceId" TEXT,
ADD COLUMN     "subtotalAmount" INTEGER,
ADD COLUMN     "taxBehavior" TEXT NOT NULL DEFAULT 'exclusive',
ADD COLUMN     "taxLinesPending" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "CheckoutAttempt" ADD COLUMN     "taxBehavior" TEXT NOT NULL DEFAULT 'exclusive';

-- CreateTable
CREATE TABLE "PurchaseTaxLine" (
    "id" TEXT NOT NULL,
    "purchaseId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "displayName" TEXT NOT NULL,
    "percentage" TEXT NOT NULL,
    "jurisdiction" TEXT,
    "country" TEXT,
    "state" TEXT,
    "inclusive" BOOLEAN NOT NULL,
    "taxabilityReason" TEXT,
    "amount" INTEGER NOT NULL,

    CONSTRAINT "PurchaseTaxLine_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PurchaseTaxLine_purchaseId_position_key" ON "PurchaseTaxLine"("purchaseId", "position");

-- AddForeignKey
ALTER TABLE "PurchaseTaxLine" ADD CONSTRAINT "PurchaseTaxLine_purchaseId_fkey" FOREIGN KEY ("purchaseId") REFERENCES "Purchase"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
