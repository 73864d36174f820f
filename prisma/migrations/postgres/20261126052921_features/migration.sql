-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailAlerts" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "sessionVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Thesis" ADD COLUMN     "archivedAt" TIMESTAMP(3),
ADD COLUMN     "disclosureCompensation" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "disclosurePosition" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "disclosurePositionSince" TIMESTAMP(3),
ADD COLUMN     "disclosureStatement" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Purchase" ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'paid';

-- AlterTable
ALTER TABLE "Entitlement" ADD COLUMN     "grantedById" TEXT,
ADD COLUMN     "revokedAt" TIMESTAMP(3),
ADD COLUMN     "revokedReason" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'purchase',
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'active',
ADD COLUMN     "suspendedAt" TIMESTAMP(3),
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "SignInLink" ADD COLUMN     "codeFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "codeHash" TEXT;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "claimedBy" TEXT;

-- CreateTable
CREATE TABLE "ThesisRevision" (
    "id" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "authorEmail" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ThesisRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ThesisSlugRedirect" (
    "oldSlug" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ThesisSlugRedirect_pkey" PRIMARY KEY ("oldSlug")
);

-- CreateTable
CREATE TABLE "CheckoutAttempt" (
    "id" TEXT NOT NULL,
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
    "attestedAt" TIMESTAMP(3) NOT NULL,
    "attestedIp" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CheckoutAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StripeEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StripeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentState" (
    "paymentIntentId" TEXT NOT NULL,
    "chargeId" TEXT,
    "refunded" BOOLEAN NOT NULL DEFAULT false,
    "disputeStatus" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PaymentState_pkey" PRIMARY KEY ("paymentIntentId")
);

-- CreateTable
CREATE TABLE "AdminAlert" (
    "id" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdminAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignalUpdate" (
    "id" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "signalId" TEXT NOT NULL,
    "signalTitle" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "previousStatus" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "correctsSequence" INTEGER,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "alert" BOOLEAN NOT NULL DEFAULT false,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "SignalUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeCounter" (
    "topic" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ChangeCounter_pkey" PRIMARY KEY ("topic")
);

-- CreateIndex
CREATE UNIQUE INDEX "ThesisRevision_thesisId_number_key" ON "ThesisRevision"("thesisId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "CheckoutAttempt_checkoutSessionId_key" ON "CheckoutAttempt"("checkoutSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "AdminAlert_dedupeKey_key" ON "AdminAlert"("dedupeKey");

-- CreateIndex
CREATE INDEX "SignalUpdate_signalId_sequence_idx" ON "SignalUpdate"("signalId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "SignalUpdate_thesisId_sequence_key" ON "SignalUpdate"("thesisId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "Purchase_paymentIntentId_key" ON "Purchase"("paymentIntentId");

-- CreateIndex
CREATE INDEX "SignInLink_userId_usedAt_idx" ON "SignInLink"("userId", "usedAt");

-- AddForeignKey
ALTER TABLE "ThesisRevision" ADD CONSTRAINT "ThesisRevision_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ThesisSlugRedirect" ADD CONSTRAINT "ThesisSlugRedirect_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckoutAttempt" ADD CONSTRAINT "CheckoutAttempt_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckoutAttempt" ADD CONSTRAINT "CheckoutAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignalUpdate" ADD CONSTRAINT "SignalUpdate_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignalUpdate" ADD CONSTRAINT "SignalUpdate_signalId_fkey" FOREIGN KEY ("signalId") REFERENCES "Signal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
