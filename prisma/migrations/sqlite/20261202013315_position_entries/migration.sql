-- AlterTable
ALTER TABLE "SignalUpdate" ADD COLUMN "currency" TEXT;
ALTER TABLE "SignalUpdate" ADD COLUMN "instrument" TEXT;
ALTER TABLE "SignalUpdate" ADD COLUMN "positionAction" TEXT;
ALTER TABLE "SignalUpdate" ADD COLUMN "price" TEXT;
ALTER TABLE "SignalUpdate" ADD COLUMN "sizeNote" TEXT;
