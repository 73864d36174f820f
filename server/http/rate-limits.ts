import type { Request, RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator, type Options } from 'express-rate-limit';
import { normaliseEmail } from '../accounts/email-address.ts';
import { HttpError } from './errors.ts';

/*
 * Rate limits on the doors an attacker would push: sign-in links (per IP and per address, so nobody
 * can mail-bomb a reader), one-time codes, checkout creation and failed webhook signatures.
 *
 * The counters live in express-rate-limit's default MemoryStore: per process. With several
 * instances behind a load balancer each one counts on its own (the effective limit is multiplied
 * by the number of instances); use a shared store such as `rate-limit-redis` (Redis) or
 * `@acpr/rate-limit-postgresql` by passing `store` below. Behind a proxy, Express must be told to
 * trust it (`app.set('trust proxy', 1)`) or every visitor shares the proxy's address.
 */
const FIFTEEN_MINUTES = 15 * 60 * 1000;
const ONE_HOUR = 60 * 60 * 1000;

function limiter(options: Partial<Options> & { message: string }): RequestHandler {
  const { message, ...rest } = options;
  return rateLimit({
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    ...rest,
    handler: (_req, _res, next) => next(new HttpError(429, message, 'Too many attempts')),
  });
}

const byIp = (req: Request) => ipKeyGenerator(req.ip ?? '');

export const signInRequestsPerIp = () =>
  limiter({ windowMs: FIFTEEN_MINUTES, limit: 30, keyGenerator: byIp, message: 'Too many sign-in requests from here. Please wait a few minutes and try again.' });

/** Keyed by the address asked for, whoever asks: the same answer for members and strangers. */
export const signInRequestsPerAddress = () =>
  limiter({
    windowMs: ONE_HOUR,
    limit: 10,
    keyGenerator: (req) => `address:${normaliseEmail(req.body?.email) ?? ''}`,
    skip: (req) => normaliseEmail(req.body?.email) === null,
    message: 'Too many sign-in links were asked for this address. Please use the last one we sent, or wait an hour.',
  });

/** "E-mail me a sign-in link" from a session: keyed by its account, so no one session can flood that inbox. */
export const signInRequestsPerAccount = () =>
  limiter({
    windowMs: ONE_HOUR,
    limit: 10,
    keyGenerator: (_req, res) => `account:${String(res.locals.viewer?.userId)}`,
    message: 'Too many sign-in links were asked for this account. Please use the last one we sent, or wait an hour.',
  });

export const signInCodeAttemptsPerIp = () =>
  limiter({ windowMs: FIFTEEN_MINUTES, limit: 20, keyGenerator: byIp, message: 'Too many codes tried from here. Please wait a few minutes.' });

export const checkoutCreationsPerIp = () =>
  limiter({ windowMs: FIFTEEN_MINUTES, limit: 30, keyGenerator: byIp, message: 'Too many checkouts started from here. Please wait a few minutes.' });

/** Only refused signatures count: Stripe's own deliveries (even ones we answer 5xx) are never held back. */
export function webhookFailureLimit(): RequestHandler {
  return limiter({
    windowMs: FIFTEEN_MINUTES,
    limit: 50,
    keyGenerator: byIp,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 400,
    message: 'too many invalid webhook deliveries',
  });
}
