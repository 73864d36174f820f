-- AlterTable
ALTER TABLE "Thesis" ADD COLUMN     "membersExcerpt" TEXT NOT NULL DEFAULT '';
