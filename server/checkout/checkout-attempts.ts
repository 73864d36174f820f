import type { IncomingMessage } from 'node:http';
import { Prisma, type Db, type Tx } from '../db/database.ts';
import type { CheckoutSessionFacts } from './stripe-gateway.ts';
import { ATTESTATION, ATTESTATION_TEXT } from './attestation.ts';

/** Where a buyer came from, as analytics saw their visit (analytics/first-touch.ts); each part cleaned or null. */
export interface BuyerSource {
  /** Another site's host, lower case, without "www.". */
  referrer: string | null;
  utmSource: string | null;
  utmCampaign: string | null;
  ref: string | null;
}

/** Reads a checkout request's source (analytics hands it in; no source by default). */
export type CheckoutSource = (req: IncomingMessage) => BuyerSource | null;

export interface NewCheckoutAttempt {
  id: string;
  checkoutSessionId: string;
  thesisId: string;
  userId: string | null;
  amount: number;
  currency: string;
  mode: string;
  livemode: boolean;
  promotionCodes: boolean;
  /** The price's tax behaviour sent to Stripe (exclusive | inclusive). */
  taxBehavior: string;
  attestedAt: Date;
  attestedIp: string;
  /** See checkout-browser.ts. */
  browserNonceHash: string;
  /** null: direct or not known. */
  source?: BuyerSource | null;
  /** The offer whose promotion code the session carries (offers.ts), if any. */
  offerId?: string | null;
}

/**
 * Written right after Stripe created the session, before the buyer can pay. A double submit finds
 * it (same form nonce, same session) and only moves it to the browser's newest checkout nonce.
 */
export async function recordCheckoutAttempt(db: Db, { source, ...attempt }: NewCheckoutAttempt): Promise<void> {
  const from = {
    sourceReferrer: source?.referrer ?? null,
    sourceUtmSource: source?.utmSource ?? null,
    sourceUtmCampaign: source?.utmCampaign ?? null,
    sourceRef: source?.ref ?? null,
  };
  await db.checkoutAttempt.upsert({
    where: { checkoutSessionId: attempt.checkoutSessionId },
    create: { ...attempt, ...from, attestationVersion: ATTESTATION.version, attestationText: ATTESTATION_TEXT, createdAt: attempt.attestedAt, updatedAt: attempt.attestedAt },
    update: { browserNonceHash: attempt.browserNonceHash },
  });
}

/** The terms this server agreed to when it created the session, and the thesis they were for. */
export interface CheckoutAttempt {
  thesisId: string;
  amount: number;
  currency: string;
  mode: string;
  livemode: boolean;
  promotionCodes: boolean;
  taxBehavior: string;
  /** The offer this server applied (its id and Stripe promotion code): the only discount such a session may carry. */
  offer: { id: string; promotionCodeId: string | null } | null;
  /** open | awaiting_payment | fulfilled | duplicate | failed | expired | rejected */
  status: string;
  thesis: { id: string; slug: string; title: string };
  /** Set when the session pays for a gift (gifts.ts): the recipient, from our own row, never from Stripe. */
  gift: { id: string; recipientEmail: string } | null;
}

/** What fulfilment needs to know about a session before it acts: its purchase, if any, and its attempt. */
export interface SessionRecords {
  purchase: { id: string; userId: string; thesisId: string; thesisSlug: string } | null;
  attempt: CheckoutAttempt | null;
}

interface SessionRow {
  sessionId: string;
  purchaseId: string | null;
  purchaseUserId: string | null;
  purchaseThesisId: string | null;
  purchaseThesisSlug: string | null;
  attemptThesisId: string | null;
  amount: number | bigint | null;
  currency: string | null;
  mode: string | null;
  livemode: boolean | number | null;
  promotionCodes: boolean | number | null;
  taxBehavior: string | null;
  offerId: string | null;
  offerPromotionCodeId: string | null;
  attemptStatus: string | null;
  thesisSlug: string | null;
  thesisTitle: string | null;
  giftId: string | null;
  giftRecipient: string | null;
}

/**
 * What fulfilment needs of several sessions, in one read (purchase, attempt and thesis joined): it
 * runs for every batch of webhooks, on the one SQLite writer's time. The session ids are the driving
 * rows (a VALUES list, whose column both databases call column1), so a purchase is found whether or
 * not its attempt is. Raw SQL (search_path names the PostgreSQL schema): SQLite may hand back
 * integers as bigint and booleans as 0/1, so they are converted here.
 */
export async function findSessionRecords(db: Db | Tx, checkoutSessionIds: readonly string[]): Promise<Map<string, SessionRecords>> {
  const ids = [...new Set(checkoutSessionIds)];
  const records = new Map<string, SessionRecords>(ids.map((id) => [id, { purchase: null, attempt: null }]));
  if (ids.length === 0) return records;
  const rows = await db.$queryRaw<SessionRow[]>`
    SELECT s."column1" AS "sessionId", p."id" AS "purchaseId", p."userId" AS "purchaseUserId", p."thesisId" AS "purchaseThesisId",
           pt."slug" AS "purchaseThesisSlug",
           a."thesisId" AS "attemptThesisId", a."amount", a."currency", a."mode", a."livemode", a."promotionCodes", a."taxBehavior", a."status" AS "attemptStatus",
           a."offerId", o."stripePromotionCodeId" AS "offerPromotionCodeId",
           t."slug" AS "thesisSlug", t."title" AS "thesisTitle", g."id" AS "giftId", g."recipientEmail" AS "giftRecipient"
    FROM (VALUES ${Prisma.join(ids.map((id) => Prisma.sql`(CAST(${id} AS TEXT))`))}) s
    LEFT JOIN "Purchase" p ON p."checkoutSessionId" = s."column1"
    LEFT JOIN "Thesis" pt ON pt."id" = p."thesisId"
    LEFT JOIN "CheckoutAttempt" a ON a."checkoutSessionId" = s."column1"
    LEFT JOIN "Thesis" t ON t."id" = a."thesisId"
    LEFT JOIN "Gift" g ON g."checkoutSessionId" = s."column1"
    LEFT JOIN "Offer" o ON o."id" = a."offerId"`;
  for (const row of rows) records.set(row.sessionId, sessionRecordsOf(row));
  return records;
}

function sessionRecordsOf(row: SessionRow): SessionRecords {
  return {
    purchase: row.purchaseId
      ? { id: row.purchaseId, userId: row.purchaseUserId!, thesisId: row.purchaseThesisId!, thesisSlug: row.purchaseThesisSlug! }
      : null,
    attempt: row.attemptThesisId
      ? {
          thesisId: row.attemptThesisId,
          amount: Number(row.amount),
          currency: row.currency!,
          mode: row.mode!,
          livemode: Boolean(row.livemode),
          promotionCodes: Boolean(row.promotionCodes),
          taxBehavior: row.taxBehavior ?? 'exclusive',
          offer: row.offerId ? { id: row.offerId, promotionCodeId: row.offerPromotionCodeId } : null,
          status: row.attemptStatus!,
          // A required relation: the thesis cannot be deleted while an attempt points to it.
          thesis: { id: row.attemptThesisId, slug: row.thesisSlug!, title: row.thesisTitle! },
          gift: row.giftId ? { id: row.giftId, recipientEmail: row.giftRecipient! } : null,
        }
      : null,
  };
}

/**
 * Whether a session reported by Stripe is exactly one this server created: anything else (a session
 * made elsewhere with our thesis id, a changed price, test money on a live site) grants nothing.
 */
export function sessionMismatch(facts: CheckoutSessionFacts, attempt: CheckoutAttempt | null): string | null {
  if (!attempt) return 'a Checkout Session this server did not create';
  if (facts.mode !== 'payment' || facts.mode !== attempt.mode) return `mode ${facts.mode}, expected ${attempt.mode}`;
  if (facts.thesisId !== attempt.thesisId) return `thesis ${facts.thesisId}, expected ${attempt.thesisId}`;
  if (facts.amountSubtotal !== attempt.amount) return `amount ${facts.amountSubtotal}, expected ${attempt.amount}`;
  // An offer's session carries exactly our offer and its promotion code; no other session names one.
  const offer = attempt.offer ?? null;
  if ((facts.offerId ?? null) !== (offer?.id ?? null)) return `offer ${facts.offerId}, expected ${offer?.id ?? 'none'}`;
  if (offer && facts.promotionCode !== offer.promotionCodeId) return `promotion code ${facts.promotionCode}, expected the offer's ${offer.promotionCodeId}`;
  // Tax only adds to the price; only a promotion code (when allowed, or our offer's) may lower what was paid.
  if (!attempt.promotionCodes && !offer && (facts.amountTotal ?? 0) < attempt.amount) return `amount_total ${facts.amountTotal} below the price ${attempt.amount}`;
  if (facts.currency !== attempt.currency) return `currency ${facts.currency}, expected ${attempt.currency}`;
  if (facts.livemode !== attempt.livemode) return `livemode ${facts.livemode}, expected ${attempt.livemode}`;
  return null;
}

/** The hash of the nonce of the browser that started a checkout (see checkout-browser.ts). */
export async function findBrowserNonceHash(db: Db, checkoutSessionId: string): Promise<string | null> {
  const attempt = await db.checkoutAttempt.findUnique({ where: { checkoutSessionId }, select: { browserNonceHash: true } });
  return attempt?.browserNonceHash ?? null;
}

/** Moves an attempt along (awaiting_payment, duplicate, failed, expired, rejected), never back from fulfilled. */
export async function markCheckoutAttempt(tx: Tx, checkoutSessionId: string, status: string, now: Date): Promise<void> {
  await tx.checkoutAttempt.updateMany({ where: { checkoutSessionId, status: { not: 'fulfilled' } }, data: { status, updatedAt: now } });
}

/** The attempts that became purchases, and whose they are (one statement; the purchases were just inserted). */
export async function markAttemptsFulfilled(tx: Tx, checkoutSessionIds: readonly string[], now: Date): Promise<void> {
  if (checkoutSessionIds.length === 0) return;
  await tx.$executeRaw`
    UPDATE "CheckoutAttempt" SET "status" = 'fulfilled', "updatedAt" = ${now},
      "userId" = (SELECT p."userId" FROM "Purchase" p WHERE p."checkoutSessionId" = "CheckoutAttempt"."checkoutSessionId")
    WHERE "checkoutSessionId" IN (${Prisma.join(checkoutSessionIds)})`;
}
