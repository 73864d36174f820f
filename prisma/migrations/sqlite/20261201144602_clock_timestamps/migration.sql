-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "emailAlerts" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL
);
INSERT INTO "new_User" ("createdAt", "email", "emailAlerts", "id", "role", "sessionVersion") SELECT "createdAt", "email", "emailAlerts", "id", "role", "sessionVersion" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
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
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Thesis" ("archivedAt", "createdAt", "currency", "disclosureCompensation", "disclosurePosition", "disclosurePositionSince", "disclosureStatement", "footer", "id", "priceAmount", "publicBody", "publishedAt", "revision", "series", "slug", "subject", "tagline", "title", "updatedAt") SELECT "archivedAt", "createdAt", "currency", "disclosureCompensation", "disclosurePosition", "disclosurePositionSince", "disclosureStatement", "footer", "id", "priceAmount", "publicBody", "publishedAt", "revision", "series", "slug", "subject", "tagline", "title", "updatedAt" FROM "Thesis";
DROP TABLE "Thesis";
ALTER TABLE "new_Thesis" RENAME TO "Thesis";
CREATE UNIQUE INDEX "Thesis_slug_key" ON "Thesis"("slug");
CREATE TABLE "new_ThesisSlugRedirect" (
    "oldSlug" TEXT NOT NULL PRIMARY KEY,
    "thesisId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "ThesisSlugRedirect_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ThesisSlugRedirect" ("createdAt", "oldSlug", "thesisId") SELECT "createdAt", "oldSlug", "thesisId" FROM "ThesisSlugRedirect";
DROP TABLE "ThesisSlugRedirect";
ALTER TABLE "new_ThesisSlugRedirect" RENAME TO "ThesisSlugRedirect";
CREATE TABLE "new_Purchase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "checkoutSessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "paymentIntentId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'paid',
    "successSignInAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Purchase_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Purchase_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Purchase" ("amount", "checkoutSessionId", "createdAt", "currency", "id", "paymentIntentId", "status", "successSignInAt", "thesisId", "userId") SELECT "amount", "checkoutSessionId", "createdAt", "currency", "id", "paymentIntentId", "status", "successSignInAt", "thesisId", "userId" FROM "Purchase";
DROP TABLE "Purchase";
ALTER TABLE "new_Purchase" RENAME TO "Purchase";
CREATE UNIQUE INDEX "Purchase_checkoutSessionId_key" ON "Purchase"("checkoutSessionId");
CREATE UNIQUE INDEX "Purchase_paymentIntentId_key" ON "Purchase"("paymentIntentId");
CREATE TABLE "new_Entitlement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "purchaseId" TEXT,
    "source" TEXT NOT NULL DEFAULT 'purchase',
    "grantedById" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "suspendedAt" DATETIME,
    "revokedAt" DATETIME,
    "revokedReason" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Entitlement_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Entitlement_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Entitlement_purchaseId_fkey" FOREIGN KEY ("purchaseId") REFERENCES "Purchase" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Entitlement" ("createdAt", "grantedById", "id", "purchaseId", "revokedAt", "revokedReason", "source", "status", "suspendedAt", "thesisId", "updatedAt", "userId") SELECT "createdAt", "grantedById", "id", "purchaseId", "revokedAt", "revokedReason", "source", "status", "suspendedAt", "thesisId", "updatedAt", "userId" FROM "Entitlement";
DROP TABLE "Entitlement";
ALTER TABLE "new_Entitlement" RENAME TO "Entitlement";
CREATE UNIQUE INDEX "Entitlement_purchaseId_key" ON "Entitlement"("purchaseId");
CREATE UNIQUE INDEX "Entitlement_userId_thesisId_key" ON "Entitlement"("userId", "thesisId");
CREATE TABLE "new_SignInLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "nextPath" TEXT NOT NULL DEFAULT '/',
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "codeHash" TEXT,
    "codeFailures" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "SignInLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_SignInLink" ("codeFailures", "codeHash", "createdAt", "expiresAt", "id", "nextPath", "tokenHash", "usedAt", "userId") SELECT "codeFailures", "codeHash", "createdAt", "expiresAt", "id", "nextPath", "tokenHash", "usedAt", "userId" FROM "SignInLink";
DROP TABLE "SignInLink";
ALTER TABLE "new_SignInLink" RENAME TO "SignInLink";
CREATE UNIQUE INDEX "SignInLink_tokenHash_key" ON "SignInLink"("tokenHash");
CREATE INDEX "SignInLink_userId_usedAt_idx" ON "SignInLink"("userId", "usedAt");
CREATE TABLE "new_OutboxMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "dedupeKey" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "claimedAt" DATETIME,
    "claimedBy" TEXT,
    "lastError" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL
);
INSERT INTO "new_OutboxMessage" ("attempts", "claimedAt", "claimedBy", "createdAt", "dedupeKey", "id", "lastError", "nextAttemptAt", "payload", "recipient", "sentAt", "status", "template") SELECT "attempts", "claimedAt", "claimedBy", "createdAt", "dedupeKey", "id", "lastError", "nextAttemptAt", "payload", "recipient", "sentAt", "status", "template" FROM "OutboxMessage";
DROP TABLE "OutboxMessage";
ALTER TABLE "new_OutboxMessage" RENAME TO "OutboxMessage";
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");
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
    "status" TEXT NOT NULL DEFAULT 'open',
    "attestationVersion" TEXT NOT NULL,
    "attestationText" TEXT NOT NULL,
    "attestedAt" DATETIME NOT NULL,
    "attestedIp" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CheckoutAttempt_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "CheckoutAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_CheckoutAttempt" ("amount", "attestationText", "attestationVersion", "attestedAt", "attestedIp", "checkoutSessionId", "createdAt", "currency", "id", "livemode", "mode", "promotionCodes", "status", "thesisId", "updatedAt", "userId") SELECT "amount", "attestationText", "attestationVersion", "attestedAt", "attestedIp", "checkoutSessionId", "createdAt", "currency", "id", "livemode", "mode", "promotionCodes", "status", "thesisId", "updatedAt", "userId" FROM "CheckoutAttempt";
DROP TABLE "CheckoutAttempt";
ALTER TABLE "new_CheckoutAttempt" RENAME TO "CheckoutAttempt";
CREATE UNIQUE INDEX "CheckoutAttempt_checkoutSessionId_key" ON "CheckoutAttempt"("checkoutSessionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
