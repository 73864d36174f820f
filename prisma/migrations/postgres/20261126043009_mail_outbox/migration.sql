-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailAlerts" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "claimedBy" TEXT;
