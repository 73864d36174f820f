-- CreateTable
CREATE TABLE "SitePage" (
    "key" TEXT NOT NULL,
    "markdown" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,

    CONSTRAINT "SitePage_pkey" PRIMARY KEY ("key")
);
