-- AlterTable
ALTER TABLE "Thesis" ADD COLUMN     "publicClosing" TEXT NOT NULL DEFAULT '';
