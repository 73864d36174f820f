import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/database.ts';

export interface NewPurchase {
  checkoutSessionId: string;
  userId: string;
  thesisId: string;
  amount: number;
  currency: string;
  paymentIntentId: string | null;
  status: string;
  createdAt: Date;
}

/**
 * Inserts the purchase of one Checkout Session and returns its id. Raw SQL, one statement at a third
 * of a Prisma create's cost (every fulfilment runs it); the id is a v4 uuid as Prisma's default.
 * A second purchase of the same session or payment intent fails on their unique keys (P2002).
 */
export async function insertPurchase(tx: Tx, purchase: NewPurchase): Promise<{ id: string; userId: string; thesisId: string }> {
  const id = randomUUID();
  await tx.$executeRaw`
    INSERT INTO "Purchase" ("id", "checkoutSessionId", "userId", "thesisId", "amount", "currency", "paymentIntentId", "status", "createdAt")
    VALUES (${id}, ${purchase.checkoutSessionId}, ${purchase.userId}, ${purchase.thesisId}, ${purchase.amount}, ${purchase.currency},
            ${purchase.paymentIntentId}, ${purchase.status}, ${purchase.createdAt})`;
  return { id, userId: purchase.userId, thesisId: purchase.thesisId };
}
