-- AlterTable
ALTER TABLE "SignalUpdate" ADD COLUMN "previousTextSalt" TEXT;
ALTER TABLE "SignalUpdate" ADD COLUMN "textSalt" TEXT;
