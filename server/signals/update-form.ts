import { z } from 'zod';
import { badRequest } from '../http/errors.ts';
import type { SignalUpdateInput } from './record-update.ts';
import { SIGNAL_STATUSES } from './statuses.ts';

const MAX_NOTE = 20_000;

const optional = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** Only web links: a javascript: or data: "source" would run in members' browsers. */
const sourceUrl = z
  .string()
  .trim()
  .max(2000, 'The source link is too long.')
  .refine((value) => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol), 'The source link must be an http:// or https:// address.');

/** Round-trips only for a real day: 2026-02-31 would silently become March 3rd. */
export function isCalendarDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const evidenceDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'The evidence date must be a date (YYYY-MM-DD).')
  .refine(isCalendarDay, 'The evidence date is not a real date.')
  .transform((value) => new Date(`${value}T00:00:00.000Z`));

const form = z.object({
  signalId: z.string({ error: 'Choose a signal.' }).min(1, 'Choose a signal.').max(100),
  status: z.enum(SIGNAL_STATUSES, { error: `The status must be one of: ${SIGNAL_STATUSES.join(', ')}.` }),
  occurredOn: evidenceDate,
  note: z
    .string({ error: 'Write the evidence note.' })
    .trim()
    .min(1, 'Write the evidence note: what was observed, and where.')
    .max(MAX_NOTE, `The note is longer than ${MAX_NOTE} characters.`),
  sourceUrl: z.preprocess(optional, sourceUrl.optional()),
  correctsSequence: z.preprocess(optional, z.coerce.number().int('Corrects: give an update number.').positive('Corrects: give an update number.').optional()),
  alert: z.preprocess((value) => value === 'yes', z.boolean()),
});

/** The admin's form, checked field by field; a bad field stops everything with a message naming it. */
export function parseUpdateForm(body: unknown): SignalUpdateInput {
  const parsed = form.safeParse(body ?? {});
  if (!parsed.success) throw badRequest(parsed.error.issues.map((issue) => issue.message).join(' '));
  const { sourceUrl, correctsSequence, ...rest } = parsed.data;
  return { ...rest, sourceUrl: sourceUrl ?? null, correctsSequence: correctsSequence ?? null };
}
