-- AlterTable
ALTER TABLE "SignalUpdate" ADD COLUMN     "currency" TEXT,
ADD COLUMN     "instrument" TEXT,
ADD COLUMN     "positionAction" TEXT,
ADD COLUMN     "price" TEXT,
ADD COLUMN     "sizeNote" TEXT;
