import { randomInt } from 'node:crypto';
import { formatPrice } from '../http/money.ts';
import type { NewOfferDiscount } from './stripe-gateway.ts';

/** A-Z and 0-9 only (after upper-casing), 3 to 32 long: it goes in a URL and is typed by people. */
export const OFFER_CODE = /^[A-Z0-9]{3,32}$/;

/** The offer form as posted: every field a string (the input guard refuses anything else). */
export interface OfferFormInput {
  thesisId?: string;
  kind?: string;
  percentOff?: string;
  amountOff?: string;
  expiresOn?: string;
  maxRedemptions?: string;
  code?: string;
}

/**
 * What an accepted form asks for: the discount Stripe is asked to make (its `expiresAt` the end of the
 * chosen day, UTC), for the thesis named by `thesisId`, checked by the caller.
 */
export type OfferRequest = Omit<NewOfferDiscount, 'offerId'> & { thesisId: string };

export type OfferFormProblems = Partial<Record<keyof OfferFormInput, string>>;

/** A code suggestion for the form: easy to read aloud (no 0/O, 1/I). */
export function suggestOfferCode(): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return `OFFER${Array.from({ length: 6 }, () => letters[randomInt(letters.length)]).join('')}`;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONEY = /^\d{1,7}(\.\d{1,2})?$/;
const WHOLE = /^\d{1,9}$/;

/**
 * Checks the form against the thesis it names (its price and currency) and the clock: every problem is
 * named at its field, and nothing is written or sent while there is one. Whether the code is already
 * taken is the caller's question (the database knows).
 */
export function checkOfferForm(input: OfferFormInput, thesis: { id: string; priceAmount: number; currency: string } | null, now: Date): { request: OfferRequest } | { problems: OfferFormProblems } {
  const problems: OfferFormProblems = {};
  if (!thesis) problems.thesisId = 'Choose the thesis this offer is for.';
  const code = (input.code ?? '').trim().toUpperCase();
  if (!OFFER_CODE.test(code)) problems.code = 'The code must be 3 to 32 letters (A–Z) or digits (0–9), no spaces or dashes.';

  let percentOff: number | null = null;
  let amountOff: number | null = null;
  if (input.kind === 'percent') {
    const typed = (input.percentOff ?? '').trim();
    percentOff = WHOLE.test(typed) ? Number(typed) : NaN;
    if (!(percentOff >= 1 && percentOff <= 100)) problems.percentOff = 'The percentage off must be a whole number from 1 to 100 (100 makes a free review copy).';
  } else if (input.kind === 'amount') {
    const typed = (input.amountOff ?? '').trim();
    amountOff = MONEY.test(typed) ? Math.round(Number(typed) * 100) : NaN;
    const price = thesis ? formatPrice(thesis.priceAmount, thesis.currency) : 'the price';
    if (!(amountOff >= 1) || (thesis && amountOff > thesis.priceAmount)) {
      problems.amountOff = `The amount off must be more than zero and at most ${price}, with at most two decimals, like 20 or 12.50.`;
    }
  } else {
    problems.kind = 'Choose a percentage off or an amount off.';
  }

  let expiresAt: Date | null = null;
  const day = DAY.exec((input.expiresOn ?? '').trim());
  if ((input.expiresOn ?? '').trim() !== '') {
    expiresAt = day ? new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]), 23, 59, 59)) : null;
    // Date.UTC rolls 2026-02-31 over into March: a day that does not exist is refused, not moved.
    const real = expiresAt && expiresAt.toISOString().slice(0, 10) === day![0];
    if (!real) problems.expiresOn = 'The expiry must be a date like 2026-12-31, or empty for none.';
    else if (expiresAt!.getTime() <= now.getTime()) problems.expiresOn = 'The expiry must be today or later: the offer runs to the end of that day (UTC).';
  }

  let maxRedemptions: number | null = null;
  const max = (input.maxRedemptions ?? '').trim();
  if (max !== '') {
    maxRedemptions = WHOLE.test(max) ? Number(max) : NaN;
    if (!(maxRedemptions >= 1)) problems.maxRedemptions = 'The maximum number of uses must be a whole number of at least 1, or empty for no limit.';
  }

  if (Object.keys(problems).length > 0 || !thesis) return { problems };
  return { request: { thesisId: thesis.id, code, percentOff, amountOff, currency: thesis.currency, expiresAt, maxRedemptions } };
}
