import { z } from 'zod';
import { badRequest } from '../http/errors.ts';
import { POSITION_ACTIONS } from './hash-chain.ts';
import type { PositionInput } from './position-record.ts';
import { isCalendarDay } from './update-form.ts';
import { instrumentProblem, normaliseInstrument } from './instrument.ts';

const MAX_NOTE = 20_000;

const optional = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/**
 * A positive decimal with at most 6 decimals, kept as typed: the record says exactly what the
 * publisher wrote ("41.20" stays "41.20"), and no float rounding reaches the hash.
 */
const PRICE = /^\d{1,12}(?:\.\d{1,6})?$/;

const form = z.object({
  action: z.enum(POSITION_ACTIONS, { error: 'action: choose entry or exit.' }),
  instrument: z.string({ error: 'instrument: give the instrument (e.g. its ticker).' }).transform((typed, ctx) => {
    const instrument = normaliseInstrument(typed);
    const problem = instrumentProblem(instrument);
    if (problem === null) return instrument;
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }),
  price: z
    .string({ error: 'price: give the price, e.g. 41.20.' })
    .trim()
    .regex(PRICE, 'price: must be a positive number with at most 6 decimals, e.g. 41.20.')
    .refine((value) => Number(value) > 0, 'price: must be more than 0.'),
  currency: z
    .string({ error: 'currency: give its 3-letter code, e.g. USD.' })
    .trim()
    .regex(/^[A-Za-z]{3}$/, 'currency: must be a 3-letter code, e.g. USD.')
    .transform((value) => value.toUpperCase()),
  sizeNote: z.preprocess(optional, z.string().trim().max(200, 'sizeNote: at most 200 characters.').optional()),
  occurredOn: z
    .string({ error: 'occurredOn: give the date of the trade (YYYY-MM-DD).' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'occurredOn: must be a date (YYYY-MM-DD).')
    .refine(isCalendarDay, 'occurredOn: is not a real date.')
    .transform((value) => new Date(`${value}T00:00:00.000Z`)),
  note: z.preprocess((value) => value ?? '', z.string().trim().max(MAX_NOTE, `note: longer than ${MAX_NOTE} characters.`)),
  alert: z.preprocess((value) => value === 'yes', z.boolean()),
});

/** The publisher's position form, checked field by field; a bad field stops everything with a message naming it. */
export function parsePositionForm(body: unknown): PositionInput {
  const parsed = form.safeParse(body ?? {});
  if (!parsed.success) throw badRequest(parsed.error.issues.map((issue) => issue.message).join(' '));
  const { sizeNote, ...rest } = parsed.data;
  return { ...rest, sizeNote: sizeNote ?? null };
}
