import { isPermanentSmtpError } from './transport.ts';

/** No retry waits longer than this, however many attempts came before. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/**
 * Exponential backoff with "equal jitter": base · 2^(attempt−1), capped, then a random point in its
 * upper half, so instances that failed together (an SMTP outage) do not all retry in the same second.
 */
export function retryDelayMs(attempts: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type AfterFailure = { status: 'failed' } | { status: 'pending'; delayMs: number };

/** What a failed attempt leads to: a permanent (5xx) answer or the last allowed attempt fails the message. */
export function afterFailure(
  error: unknown,
  attempts: number,
  policy: { maxAttempts: number; retryBaseMs: number; random?: () => number },
): AfterFailure {
  if (isPermanentSmtpError(error) || attempts >= policy.maxAttempts) return { status: 'failed' };
  return { status: 'pending', delayMs: retryDelayMs(attempts, policy.retryBaseMs, policy.random) };
}
