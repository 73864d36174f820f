-- CreateTable
CREATE TABLE "Offer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "thesisId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "percentOff" INTEGER,
    "amountOff" INTEGER,
    "currency" TEXT NOT NULL,
    "expiresAt" DATETIME,
    "maxRedemptions" INTEGER,
    "stripeCouponId" TEXT,
    "stripePromotionCodeId" TEXT,
    "lastError" TEXT,
    "endedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "createdById" TEXT NOT NULL,
    CONSTRAINT "Offer_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "offerId" TEXT,
    "successSignInAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "subtotalAmount" INTEGER,
    "taxBehavior" TEXT NOT NULL DEFAULT 'exclusive',
    "taxLinesPending" BOOLEAN NOT NULL DEFAULT false,
    "buyerName" TEXT,
    "buyerTaxIdType" TEXT,
    "buyerTaxId" TEXT,
    "stripeInvoiceId" TEXT,
    CONSTRAINT "Purchase_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "Offer" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Purchase_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Purchase_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Purchase" ("amount", "buyerName", "buyerTaxId", "buyerTaxIdType", "checkoutSessionId", "createdAt", "currency", "discountAmount", "id", "paymentIntentId", "promotionCode", "status", "stripeInvoiceId", "subtotalAmount", "successSignInAt", "taxAmount", "taxBehavior", "taxLinesPending", "thesisId", "userId") SELECT "amount", "buyerName", "buyerTaxId", "buyerTaxIdType", "checkoutSessionId", "createdAt", "currency", "discountAmount", "id", "paymentIntentId", "promotionCode", "status", "stripeInvoiceId", "subtotalAmount", "successSignInAt", "taxAmount", "taxBehavior", "taxLinesPending", "thesisId", "userId" FROM "Purchase";
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
    "offerId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CheckoutAttempt_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "Offer" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "CheckoutAttempt_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "CheckoutAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_CheckoutAttempt" ("amount", "attestationText", "attestationVersion", "attestedAt", "attestedIp", "browserNonceHash", "checkoutSessionId", "createdAt", "currency", "id", "livemode", "mode", "promotionCodes", "sourceRef", "sourceReferrer", "sourceUtmCampaign", "sourceUtmSource", "status", "taxBehavior", "thesisId", "updatedAt", "userId") SELECT "amount", "attestationText", "attestationVersion", "attestedAt", "attestedIp", "browserNonceHash", "checkoutSessionId", "createdAt", "currency", "id", "livemode", "mode", "promotionCodes", "sourceRef", "sourceReferrer", "sourceUtmCampaign", "sourceUtmSource", "status", "taxBehavior", "thesisId", "updatedAt", "userId" FROM "CheckoutAttempt";
DROP TABLE "CheckoutAttempt";
ALTER TABLE "new_CheckoutAttempt" RENAME TO "CheckoutAttempt";
CREATE UNIQUE INDEX "CheckoutAttempt_checkoutSessionId_key" ON "CheckoutAttempt"("checkoutSessionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Offer_code_key" ON "Offer"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Offer_stripePromotionCodeId_key" ON "Offer"("stripePromotionCodeId");

-- CreateIndex
CREATE INDEX "Offer_thesisId_idx" ON "Offer"("thesisId");
