import type { Request, RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator, type Options } from 'express-rate-limit';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { HttpError } from './errors.ts';
import { DatabaseRateLimitStore } from './rate-limit-store.ts';

/*
 * Rate limits on the doors an attacker would push: sign-in links (per IP and per address, so nobody
 * can mail-bomb a reader), one-time codes, checkout creation and failed webhook signatures.
 *
 * Where the counters live (`rateLimitCounters`): on PostgreSQL in the database (rate-limit-store.ts), so
 * several instances count each hit once between them; on SQLite, a single process, in
 * express-rate-limit's MemoryStore. Behind a proxy, Express must be told to trust it
 * (`app.set('trust proxy', 1)`) or every visitor shares the proxy's address.
 */
export interface RateLimitDeps {
  db: Db;
  clock: Clock;
  /** 'database' on PostgreSQL (main.ts); memory when absent. */
  rateLimitCounters?: 'memory' | 'database';
}

const FIFTEEN_MINUTES = 15 * 60 * 1000;
const ONE_HOUR = 60 * 60 * 1000;

const byIp = (req: Request) => ipKeyGenerator(req.ip ?? '');

/** The app's limiters; each call makes a middleware, and calls of one limiter share its counters in the database. */
export function createRateLimits(deps: RateLimitDeps) {
  function limiter(name: string, options: Partial<Options> & { message: string }): RequestHandler {
    const { message, ...rest } = options;
    return rateLimit({
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      ...rest,
      store: deps.rateLimitCounters === 'database' ? new DatabaseRateLimitStore(deps.db, deps.clock, `${name}:`) : undefined,
      // The database store gives no reset time (see rate-limit-store.ts), so RateLimit headers say the whole window.
      validate: { headersResetTime: false },
      handler: (_req, _res, next) => next(new HttpError(429, message, 'Too many attempts')),
    });
  }

  const signInRequestsPerIp = () =>
    limiter('sign-in-ip', { windowMs: FIFTEEN_MINUTES, limit: 30, keyGenerator: byIp, message: 'Too many sign-in requests from here. Please wait a few minutes and try again.' });

  /**
   * Keyed by the address asked for, whoever asks: the same answer for members and strangers. The
   * caller says how to read the address (the accounts feature's rules); a request without one is not counted.
   */
  const signInRequestsPerAddress = (addressOf: (req: Request) => string | null) =>
    limiter('sign-in-address', {
      windowMs: ONE_HOUR,
      limit: 10,
      keyGenerator: (req) => `address:${addressOf(req) ?? ''}`,
      skip: (req) => addressOf(req) === null,
      message: 'Too many sign-in links were asked for this address. Please use the last one we sent, or wait an hour.',
    });

  /** "E-mail me a sign-in link" from a session: keyed by its account, so no one session can flood that inbox. */
  const signInRequestsPerAccount = () =>
    limiter('sign-in-account', {
      windowMs: ONE_HOUR,
      limit: 10,
      keyGenerator: (_req, res) => `account:${String(res.locals.viewer?.userId)}`,
      message: 'Too many sign-in links were asked for this account. Please use the last one we sent, or wait an hour.',
    });

  const signInCodeAttemptsPerIp = () =>
    limiter('sign-in-code-ip', { windowMs: FIFTEEN_MINUTES, limit: 20, keyGenerator: byIp, message: 'Too many codes tried from here. Please wait a few minutes.' });

  const checkoutCreationsPerIp = () =>
    limiter('checkout-ip', { windowMs: FIFTEEN_MINUTES, limit: 30, keyGenerator: byIp, message: 'Too many checkouts started from here. Please wait a few minutes.' });

  /**
   * Pages asked with an offer's code (`?offer=CODE`; the thesis page and the buy page count apart) per IP: each answer says
   * whether the code exists and applies, and a code may be three characters long, so without a limit
   * every short code could be tried. Requests without a code are not counted (nor written on PostgreSQL).
   */
  const offerCodeLookupsPerIp = (page: 'thesis' | 'buy') =>
    limiter(`offer-code-ip-${page}`, {
      windowMs: FIFTEEN_MINUTES,
      limit: 30,
      keyGenerator: byIp,
      skip: (req) => typeof req.query.offer !== 'string' || req.query.offer === '',
      message: 'Too many offer codes tried from here. Please wait a few minutes.',
    });

  /**
   * Counts refused webhook signatures per IP. The webhook route calls it only once a signature has
   * failed, so Stripe's own deliveries are never counted nor held back, however many arrive at once
   * (counting every delivery and discounting the good ones after, as skipSuccessfulRequests does,
   * refused the 51st of 50 concurrent good deliveries, and cost two writes of one hot row each).
   */
  const webhookFailureLimit = () =>
    limiter('webhook-failure-ip', {
      windowMs: FIFTEEN_MINUTES,
      limit: 50,
      keyGenerator: byIp,
      message: 'too many invalid webhook deliveries',
    });

  return { signInRequestsPerIp, signInRequestsPerAddress, signInRequestsPerAccount, signInCodeAttemptsPerIp, checkoutCreationsPerIp, offerCodeLookupsPerIp, webhookFailureLimit };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
