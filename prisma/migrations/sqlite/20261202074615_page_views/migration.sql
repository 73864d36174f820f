-- CreateTable
CREATE TABLE "PageViewDay" (
    "day" TEXT NOT NULL,
    "thesisId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "views" INTEGER NOT NULL DEFAULT 0,
    "visitors" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("day", "thesisId", "kind"),
    CONSTRAINT "PageViewDay_thesisId_fkey" FOREIGN KEY ("thesisId") REFERENCES "Thesis" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "PageViewDay_thesisId_day_idx" ON "PageViewDay"("thesisId", "day");
