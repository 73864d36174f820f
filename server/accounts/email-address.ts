import { z } from 'zod';

const emailAddress = z.email().max(254);

/**
 * Trimmed and lower-cased, so one person is one account whatever they type; null for anything that
 * is not a single plain address (arrays, objects, CR/LF for header injection, malformed text).
 */
export function normaliseEmail(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const candidate = input.trim().toLowerCase();
  return emailAddress.safeParse(candidate).success ? candidate : null;
}
