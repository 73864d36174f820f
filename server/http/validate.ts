import type { z } from 'zod';
import { badRequest } from './errors.ts';

/**
 * Parses a form or query against its schema before anything reads it: a value that is an array or
 * an object where a string is expected (`email[]=a&email[]=b`, `?id[$ne]=`) never reaches a query.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, message = 'Something in that form was not right.'): z.infer<Schema> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw badRequest(message);
  return parsed.data;
}

/** The same, for forms that re-render with a message rather than fail. */
export function tryParseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> | null {
  const parsed = schema.safeParse(input ?? {});
  return parsed.success ? parsed.data : null;
}
