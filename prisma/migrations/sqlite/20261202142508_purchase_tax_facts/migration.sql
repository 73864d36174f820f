-- CreateTable
CREATE TABLE "PurchaseTaxLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    CONSTRAINT "PurchaseTaxLine_purchaseId_fkey" FOREIGN KEY ("purchaseId") REFERENCES "Purchase" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Thesis" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "series" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "tagline" TEXT NOT NULL,
    "priceAmount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'cad',
    "publicBody" TEXT NOT NULL,
    "footer" TEXT NOT NULL DEFAULT '',
    "publishedAt" DATETIME,
    "archivedAt" DATETIME,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "disclosurePosition" TEXT NOT NULL DEFAULT '',
    "disclosurePositionSince" DATETIME,
    "disclosureCompensation" TEXT NOT NULL DEFAULT '',
    "disclosureStatement" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "recordEmbargoDays" INTEGER NOT NULL DEFAULT 30,
    "publicClosing" TEXT NOT NULL DEFAULT '',
    "membersExcerpt" TEXT NOT NULL DEFAULT '',
    "taxBehavior" TEXT NOT NULL DEFAULT 'exclusive'
);
INSERT INTO "new_Thesis" ("archivedAt", "createdAt", "currency", "disclosureCompensation", "disclosurePosition", "disclosurePositionSince", "disclosureStatement", "footer", "id", "membersExcerpt", "priceAmount", "publicBody", "publicClosing", "publishedAt", "recordEmbargoDays", "revision", "series", "slug", "subject", "tagline", "title", "updatedAt") SELECT "archivedAt", "createdAt", "currency", "disclosureCompensation", "disclosurePosition", "disclosurePositionSince", "disclosureStatement", "footer", "id", "membersExcerpt", "priceAmount", "publicBody", "publicClosing", "publishedAt", "recordEmbargoDays", "revision", "series", "slug", "subject", "tagline", "title", "updatedAt" FROM "Thesis";
DROP TABLE "Thesis";
ALTER TABLE "new_Thesis" RENAME TO "Thesis";
CREATE UNIQUE INDEX "Thesis_slug_key" ON "Thesis"("slug");
CREATE TABLE "new_Purchase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "checkoutSessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "paymentIntentId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'paid',
    "discountAmount" INTEGER NOT NULL DEFAULT 0,
    "promotionCode" TEXT,
    "taxAmount" INTEGER NOT NULL DEFAULT 0,
    "successSignInAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "subtotalAmount" INTEGER,
    "taxBehavior" TEXT NOT NULL DEFAULT 'exclusive',
    "taxLinesPending" BOOLEAN NOT NULL DEFAULT false,
    "buyerName" TEXT,
    "buyerTaxIdType" TEXT,
    "buyerTaxId" TEXT,
    "stripeInvoiceId" TEXT,
    CONSTRAINT "Purchase_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Purchase_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Purchase" ("amount", "checkoutSessionId", "createdAt", "currency", "discountAmount", "id", "paymentIntentId", "promotionCode", "status", "successSignInAt", "taxAmount", "thesisId", "userId") SELECT "amount", "checkoutSessionId", "createdAt", "currency", "discountAmount", "id", "paymentIntentId", "promotionCode", "status", "successSignInAt", "taxAmount", "thesisId", "userId" FROM "Purchase";
DROP TABLE "Purchase";
ALTER TABLE "new_Purchase" RENAME TO "Purchase";
CREATE UNIQUE INDEX "Purchase_checkoutSessionId_key" ON "Purchase"("checkoutSessionId");
CREATE UNIQUE INDEX "Purchase_paymentIntentId_key" ON "Purchase"("paymentIntentId");
CREATE TABLE "new_CheckoutAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "checkoutSessionId" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "userId" TEXT,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "livemode" BOOLEAN NOT NULL,
    "promotionCodes" BOOLEAN NOT NULL DEFAULT false,
    "taxBehavior" TEXT NOT NULL DEFAULT 'exclusive',
    "status" TEXT NOT NULL DEFAULT 'open',
    "attestationVersion" TEXT NOT NULL,
    "attestationText" TEXT NOT NULL,
    "attestedAt" DATETIME NOT NULL,
    "attestedIp" TEXT NOT NULL,
    "browserNonceHash" TEXT,
    "sourceReferrer" TEXT,
    "sourceUtmSource" TEXT,
    "sourceUtmCampaign" TEXT,
    "sourceRef" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CheckoutAttempt_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "CheckoutAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_CheckoutAttempt" ("amount", "attestationText", "attestationVersion", "attestedAt", "attestedIp", "browserNonceHash", "checkoutSessionId", "createdAt", "currency", "id", "livemode", "mode", "promotionCodes", "sourceRef", "sourceReferrer", "sourceUtmCampaign", "sourceUtmSource", "status", "thesisId", "updatedAt", "userId") SELECT "amount", "attestationText", "attestationVersion", "attestedAt", "attestedIp", "browserNonceHash", "checkoutSessionId", "createdAt", "currency", "id", "livemode", "mode", "promotionCodes", "sourceRef", "sourceReferrer", "sourceUtmCampaign", "sourceUtmSource", "status", "thesisId", "updatedAt", "userId" FROM "CheckoutAttempt";
DROP TABLE "CheckoutAttempt";
ALTER TABLE "new_CheckoutAttempt" RENAME TO "CheckoutAttempt";
CREATE UNIQUE INDEX "CheckoutAttempt_checkoutSessionId_key" ON "CheckoutAttempt"("checkoutSessionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "PurchaseTaxLine_purchaseId_position_key" ON "PurchaseTaxLine"("purchaseId", "position");
