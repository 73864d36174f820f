-- AlterTable
ALTER TABLE "CheckoutAttempt" ADD COLUMN "sourceRef" TEXT;
ALTER TABLE "CheckoutAttempt" ADD COLUMN "sourceReferrer" TEXT;
ALTER TABLE "CheckoutAttempt" ADD COLUMN "sourceUtmCampaign" TEXT;
ALTER TABLE "CheckoutAttempt" ADD COLUMN "sourceUtmSource" TEXT;
