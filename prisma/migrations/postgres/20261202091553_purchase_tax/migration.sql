-- AlterTable
ALTER TABLE "Purchase" ADD COLUMN     "taxAmount" INTEGER NOT NULL DEFAULT 0;
