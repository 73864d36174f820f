-- CreateTable
CREATE TABLE "SignalUpdate" (
    "id" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "signalId" TEXT NOT NULL,
    "signalTitle" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "previousStatus" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "correctsSequence" INTEGER,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "alert" BOOLEAN NOT NULL DEFAULT false,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "SignalUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SignalUpdate_signalId_sequence_idx" ON "SignalUpdate"("signalId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "SignalUpdate_thesisId_sequence_key" ON "SignalUpdate"("thesisId", "sequence");

-- AddForeignKey
ALTER TABLE "SignalUpdate" ADD CONSTRAINT "SignalUpdate_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignalUpdate" ADD CONSTRAINT "SignalUpdate_signalId_fkey" FOREIGN KEY ("signalId") REFERENCES "Signal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
