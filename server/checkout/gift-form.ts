import { normaliseEmail } from '../accounts/email-address.ts';

export const MAX_GIFT_MESSAGE = 1000;
export const MAX_DAYS_AHEAD = 365;
const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The fields of the gift form a person fills in, as the page names them. */
export type GiftField = 'recipientEmail' | 'message' | 'deliverOn';

export interface GiftRequest {
  recipientEmail: string;
  message: string;
  /** Midnight UTC of the delivery day. */
  deliverOn: Date;
}

/** The UTC day of a time, as YYYY-MM-DD (the form's and the e-mails' way of writing it). */
export const utcDay = (time: Date) => time.toISOString().slice(0, 10);

/**
 * Reads the recipient, message and delivery date the buyer typed, each checked on its own so the page
 * can mark every field that is wrong: the address by the rules every sign-in uses, the message as
 * plain text of at most 1,000 characters (escaped wherever it is shown), the date a UTC day from
 * today (the injected clock's) to 365 days ahead. An empty date means today.
 */
export function parseGiftFields(body: Record<string, unknown>, now: Date): { gift: GiftRequest } | { errors: Partial<Record<GiftField, string>> } {
  const errors: Partial<Record<GiftField, string>> = {};
  const recipientEmail = normaliseEmail(body.recipientEmail);
  if (!recipientEmail) errors.recipientEmail = "Enter the recipient's e-mail address, like name@example.com.";
  const message = typeof body.message === 'string' ? body.message.replace(/\r\n?/g, '\n').trim() : body.message === undefined ? '' : null;
  if (message === null) errors.message = 'The message must be plain text.';
  else if (message.length > MAX_GIFT_MESSAGE) errors.message = `The message can be at most ${MAX_GIFT_MESSAGE.toLocaleString('en-CA')} characters (it has ${message.length.toLocaleString('en-CA')}).`;
  const deliverOn = parseDeliveryDay(body.deliverOn, now);
  if (typeof deliverOn === 'string') errors.deliverOn = deliverOn;
  if (Object.keys(errors).length > 0 || typeof deliverOn === 'string') return { errors };
  return { gift: { recipientEmail: recipientEmail!, message: message!, deliverOn } };
}

function parseDeliveryDay(input: unknown, now: Date): Date | string {
  const today = new Date(`${utcDay(now)}T00:00:00Z`);
  if (input === undefined || input === '') return today;
  if (typeof input !== 'string' || !ISO_DAY.test(input.trim())) return 'Enter the delivery date as YYYY-MM-DD.';
  const day = new Date(`${input.trim()}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || utcDay(day) !== input.trim()) return 'Enter the delivery date as YYYY-MM-DD.';
  if (day < today) return `The delivery date cannot be in the past (today is ${utcDay(today)}, UTC).`;
  if (day.getTime() - today.getTime() > MAX_DAYS_AHEAD * DAY_MS) return `The delivery date can be at most ${MAX_DAYS_AHEAD} days ahead.`;
  return day;
}

/** The latest delivery date the form offers, for its `max`. */
export const latestDeliveryDay = (now: Date) => utcDay(new Date(new Date(`${utcDay(now)}T00:00:00Z`).getTime() + MAX_DAYS_AHEAD * DAY_MS));
