-- AlterTable
ALTER TABLE "CheckoutAttempt" ADD COLUMN     "sourceRef" TEXT,
ADD COLUMN     "sourceReferrer" TEXT,
ADD COLUMN     "sourceUtmCampaign" TEXT,
ADD COLUMN     "sourceUtmSource" TEXT;
