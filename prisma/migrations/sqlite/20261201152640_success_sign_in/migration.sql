-- AlterTable
ALTER TABLE "User" ADD COLUMN "createdByCheckoutSessionId" TEXT;
ALTER TABLE "User" ADD COLUMN "emailVerifiedAt" DATETIME;

-- AlterTable
ALTER TABLE "CheckoutAttempt" ADD COLUMN "browserNonceHash" TEXT;

-- Whoever already used a link or code delivered to their inbox has proven the address.
UPDATE "User" SET "emailVerifiedAt" = (SELECT MIN(l."usedAt") FROM "SignInLink" l WHERE l."userId" = "User"."id" AND l."usedAt" IS NOT NULL);

-- The success page used to sign in whoever typed an address on Stripe's page: end every session
-- issued so far (each JWT carries the version it was issued with), so none of those survives.
UPDATE "User" SET "sessionVersion" = "sessionVersion" + 1;
