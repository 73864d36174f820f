-- AlterTable
ALTER TABLE "SignalUpdate" ADD COLUMN     "previousTextSalt" TEXT,
ADD COLUMN     "textSalt" TEXT;
