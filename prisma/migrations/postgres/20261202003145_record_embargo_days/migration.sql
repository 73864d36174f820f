-- AlterTable
ALTER TABLE "Thesis" ADD COLUMN     "recordEmbargoDays" INTEGER NOT NULL DEFAULT 30;
