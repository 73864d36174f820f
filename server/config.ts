import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Raised when the environment cannot run the site; names every offending variable. */
export class ConfigError extends Error {}

const DEFAULT_DATABASE_URL = 'file:./data/warren.db';

/**
 * Who may open /admin on a first run in development, so a newcomer can publish without configuring
 * anything. Under the reserved .localhost name (RFC 6761): it reaches no one, and it passes the
 * sign-in form's address check, which a bare `admin@localhost` would not.
 */
export const DEVELOPMENT_ADMIN_EMAIL = 'admin@warren.localhost';

const emailAddress = z.email('must be an e-mail address');
// Each one signs in by e-mailed link, and the first is the public contact address unless CONTACT_EMAIL is set.
const emailList = z
  .string()
  .transform((value) => value.split(',').map((email) => email.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(emailAddress));

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const databaseUrl = z
  .string()
  .refine((value) => /^(file:|postgres(ql)?:\/\/)/.test(value), 'must be a file: URL (SQLite) or a postgres:// URL');

/**
 * Secrets copied from a sample file mint admin sessions for anyone who read that file: the values an
 * earlier compose.yaml shipped, and anything that says it is a placeholder, are refused everywhere.
 */
const SHIPPED_SECRETS = new Set(['local-compose-secret-change-me-0123456789', 'local-metrics-token-change-me']);
const PLACEHOLDER = /change[-_ .]?me|replace[-_ .]?me|placeholder|^(secret|password|token|changeme|example)$/i;
const notPlaceholder = (value: string) => !SHIPPED_SECRETS.has(value) && !PLACEHOLDER.test(value);
// Long enough is not random: 40 spaces or "xxxx…" pass a length check. Even 16 random hex digits have
// fewer than this many distinct characters with odds below one in a million.
const MIN_DISTINCT_CHARACTERS = 5;
const looksRandom = (value: string) => new Set(value.replace(/\s/g, '')).size >= MIN_DISTINCT_CHARACTERS;
/**
 * A secret that reads as a phrase ("test-secret-that-is-at-least-32-bytes-long") was written by a
 * person, most likely into a file: this repository's tests and benchmark use such values. Refused in
 * production: three or more words (two letters or more, not all hexadecimal digits, so a UUID's or a
 * hex string's groups are not words) between separators.
 */
const WORD = /^(?=[a-z]*[g-z])[a-z]{2,}$/i;
const readsAsPhrase = (value: string) => value.split(/[-_ .]/).filter((part) => WORD.test(part)).length >= 3;
const PHRASE_CHECKED_IN_PRODUCTION = ['JWT_SECRET', 'METRICS_TOKEN'] as const;

const secret = (minLength: number) =>
  z
    .string()
    .min(minLength, `must be at least ${minLength} characters`)
    .refine(notPlaceholder, 'is a published placeholder value: generate a secret (e.g. `openssl rand -hex 32`)')
    .refine(looksRandom, `has fewer than ${MIN_DISTINCT_CHARACTERS} distinct characters: generate a secret (e.g. \`openssl rand -hex 32\`)`);

/** A CRA business number's GST/HST program account: 9 digits, RT, 4 digits; kept as "123456789 RT0001". */
const gstHstNumber = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .pipe(z.string().regex(/^\d{9} ?RT\d{4}$/, 'must be a GST/HST number: 9 digits, RT and 4 digits, e.g. 123456789 RT0001'))
  .transform((value) => `${value.slice(0, 9)} ${value.slice(-6)}`);
/** Revenu Québec's QST number: 10 digits, TQ, 4 digits; kept as "1234567890 TQ0001". */
const qstNumber = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .pipe(z.string().regex(/^\d{10} ?TQ\d{4}$/, 'must be a QST number: 10 digits, TQ and 4 digits, e.g. 1234567890 TQ0001'))
  .transform((value) => `${value.slice(0, 10)} ${value.slice(-6)}`);
/** Postal address lines, written with "\n" between them in the one variable. */
const postalAddress = z
  .string()
  .transform((value) => value.split(/\\n|\r?\n/).map((line) => line.trim()).filter(Boolean))
  .pipe(z.array(z.string().max(200)).min(1, 'must hold at least one line').max(8, 'must hold at most 8 lines'));

const httpUrl = z.url({ protocol: /^https?$/ }).transform((value) => value.replace(/\/+$/, ''));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  APP_URL: httpUrl.optional(),
  DATABASE_URL: databaseUrl.default(DEFAULT_DATABASE_URL),
  JWT_SECRET: secret(32).optional(),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_/, 'must start with sk_ or rk_').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_/, 'must start with whsec_').optional(),
  STRIPE_API_BASE: httpUrl.optional(),
  STRIPE_AUTOMATIC_TAX: booleanFlag.default(false),
  STRIPE_PROMOTION_CODES: booleanFlag.optional(),
  STRIPE_TAX_ID_COLLECTION: booleanFlag.default(false),
  STRIPE_INVOICES: booleanFlag.default(false),
  TEST_PAYMENTS: booleanFlag.optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).regex(/^[^\r\n]+$/, 'must be one line').optional(),
  MAIL_DIR: z.string().min(1).default('data/mail'),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  MAIL_RETRY_BASE_SECONDS: z.coerce.number().min(0.001).max(86_400).default(30),
  MAIL_SUBJECTS: z
    .string()
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), z.string().min(1).regex(/^[^\r\n]+$/, 'subjects must be one line')))
    .optional(),
  PUBLISHER_NAME: z.string().min(1).max(100).regex(/^[^\r\n]+$/, 'must be one line').default('The Rabbit Hole'),
  SELLER_LEGAL_NAME: z.string().min(1).max(200).regex(/^[^\r\n]+$/, 'must be one line').optional(),
  SELLER_ADDRESS: postalAddress.optional(),
  SELLER_GST_HST_NUMBER: gstHstNumber.optional(),
  SELLER_QST_NUMBER: qstNumber.optional(),
  ADMIN_EMAILS: emailList.optional(),
  CONTACT_EMAIL: emailAddress.transform((value) => value.toLowerCase()).optional(),
  DEMO_CONTENT: booleanFlag.optional(),
  METRICS_TOKEN: secret(16).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CACHE_HIT_LOG_EVERY: z.coerce.number().int().min(1).max(1_000_000).default(100),
  SIGNAL_HEARTBEAT_MS: z.coerce.number().int().min(10).max(60_000).default(15_000),
  PAGE_VIEW_FLUSH_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  SIGNAL_STREAMS_PER_MEMBER: z.coerce.number().int().min(1).max(100_000).default(5),
  SIGNAL_STREAMS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(5),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
});

/** Needed to take real money and send real mail: production refuses to start without them. */
const REQUIRED_IN_PRODUCTION = [
  'APP_URL',
  'JWT_SECRET',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'SMTP_URL',
  'MAIL_FROM',
] as const;

/** What a receipt must name (CRA input-tax-credit rules): required in production when Stripe Tax charges tax. */
const REQUIRED_FOR_TAX_RECEIPTS = ['SELLER_LEGAL_NAME', 'SELLER_ADDRESS', 'SELLER_GST_HST_NUMBER'] as const;

/** Outside production, receipts name a made-up seller so they can be seen; the address says it is a demo. */
const DEMO_SELLER = {
  legalName: 'The Rabbit Hole Research Inc. (demo)',
  address: ['100 Example Street', 'Toronto ON  M5V 0A0', 'Canada (demo address)'],
  gstHstNumber: '123456789 RT0001',
};

export interface SellerConfig {
  legalName: string;
  /** Postal address, one entry per line (empty in production when unset, as above). */
  address: readonly string[];
  /**
   * "123456789 RT0001". Empty in production when unset (allowed only without STRIPE_AUTOMATIC_TAX: a
   * seller charging no tax); outside production a demo number stands in.
   */
  gstHstNumber: string;
  /** "1234567890 TQ0001" when registered for Québec's QST. */
  qstNumber?: string;
}

export interface StripeConfig {
  secretKey: string;
  webhookSecret: string;
  apiBase?: string;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  appUrl: string;
  secureCookies: boolean;
  databaseUrl: string;
  jwtSecret: string;
  /** Absent when payments are not configured: the site runs and says so on the buy button. */
  stripe?: StripeConfig;
  /**
   * No Stripe keys outside production: a local Stripe-compatible API takes the payments (no money
   * moves; server/dev/test-payments/). Never true in production. TEST_PAYMENTS=false turns it off.
   */
  testPayments: boolean;
  /**
   * Stripe Tax (Canadian GST/HST/PST), promotion codes, the buyer's business tax ID and a Stripe
   * invoice per purchase on Checkout, each switched by configuration.
   */
  checkout: { automaticTax: boolean; promotionCodes: boolean; taxIdCollection: boolean; invoices: boolean };
  smtpUrl?: string;
  mailFrom: string;
  publisherName: string;
  /** The seller named on receipts and credit notes. */
  seller: SellerConfig;
  mailDir: string;
  /** Delivery attempts before a message is marked failed (5xx answers fail at once). */
  mailMaxAttempts: number;
  /** First retry delay; it doubles with each attempt (with jitter), capped at one hour. */
  mailRetryBaseMs: number;
  /** Subject templates (Handlebars) by e-mail template name, overriding the defaults. */
  mailSubjects: Readonly<Record<string, string>>;
  adminEmails: readonly string[];
  /** Where readers write to (the contact page and the legal pages' defaults); undefined when no admin is configured either. */
  contactEmail?: string;
  demoContent: boolean;
  logLevel: string;
  /** One in this many public pages answered from memory before Express is logged (all are counted in /metrics). */
  cacheHitLogEvery: number;
  /** How often open signal streams get a keep-alive comment and their access re-checked. */
  signalHeartbeatMs: number;
  /** How often page views counted in memory are written to the database (what a crash can lose). */
  pageViewFlushMs: number;
  /** Open signal streams allowed at once per member and per client address, on each instance. */
  signalStreamLimits: { perMember: number; perIp: number };
  /** Proxies in front of the app whose X-Forwarded-For is believed (Express `trust proxy`); 0: none. */
  trustProxy: number;
  /** Bearer token for /metrics; unset → /metrics does not exist. */
  metricsToken?: string;
  /** Bounds on the HTTP server, so slow or piled-up connections cannot hold it (server/http/front-server.ts). */
  http: { requestTimeoutMs: number; headersTimeoutMs: number; maxConnections: number };
}

/** A name for a From header, quoted (RFC 5322) so a "." or "," in it does not break the address. */
function displayName(name: string): string {
  return `"${name.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
}

export function loadConfig(environment: Record<string, string | undefined>): Readonly<Config> {
  // An empty variable means "unset", as in most .env tooling.
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  if (production) {
    const missing = REQUIRED_IN_PRODUCTION.filter((key) => env[key] === undefined);
    if (missing.length) throw new ConfigError(`Missing configuration in production: ${missing.join(', ')}`);
    // The contact page, and the "payment needs a look" page that sends a paying buyer there, need an address.
    if (env.CONTACT_EMAIL === undefined && !env.ADMIN_EMAILS?.length) {
      throw new ConfigError('Missing configuration in production: CONTACT_EMAIL (or ADMIN_EMAILS, whose first address is then the contact)');
    }
    if (env.STRIPE_AUTOMATIC_TAX) {
      const missingSeller = REQUIRED_FOR_TAX_RECEIPTS.filter((key) => env[key] === undefined);
      if (missingSeller.length) {
        throw new ConfigError(`Missing configuration in production with STRIPE_AUTOMATIC_TAX: ${missingSeller.join(', ')} (receipts must name the seller)`);
      }
    }
    const phrases = PHRASE_CHECKED_IN_PRODUCTION.filter((key) => env[key] !== undefined && readsAsPhrase(env[key]));
    if (phrases.length) {
      throw new ConfigError(`${phrases.join(', ')}: reads as words, not a generated secret; in production use e.g. \`openssl rand -hex 32\``);
    }
  }
  if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)');
  }
  if (Boolean(env.STRIPE_SECRET_KEY) !== Boolean(env.STRIPE_WEBHOOK_SECRET)) {
    throw new ConfigError('STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET must be set together');
  }
  if (env.TEST_PAYMENTS && (production || env.STRIPE_SECRET_KEY)) {
    throw new ConfigError('TEST_PAYMENTS=true is for development without Stripe keys: never in production, never beside STRIPE_SECRET_KEY');
  }
  const testPayments = env.TEST_PAYMENTS ?? (!production && !env.STRIPE_SECRET_KEY);

  const appUrl = env.APP_URL ?? `http://localhost:${env.PORT}`;
  const adminEmails = Object.freeze(env.ADMIN_EMAILS ?? (env.NODE_ENV === 'development' ? [DEVELOPMENT_ADMIN_EMAIL] : []));
  return Object.freeze({
    env: env.NODE_ENV,
    port: env.PORT,
    appUrl,
    secureCookies: appUrl.startsWith('https:'),
    databaseUrl: env.DATABASE_URL,
    // Outside production a per-process secret: sessions end on restart, and no known value exists.
    jwtSecret: env.JWT_SECRET ?? randomBytes(32).toString('hex'),
    stripe: env.STRIPE_SECRET_KEY
      ? { secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET!, apiBase: env.STRIPE_API_BASE }
      : undefined,
    testPayments,
    // Test payments offer a 100 %-off code, so promotion codes are on there unless switched off.
    checkout: Object.freeze({
      automaticTax: env.STRIPE_AUTOMATIC_TAX,
      promotionCodes: env.STRIPE_PROMOTION_CODES ?? testPayments,
      taxIdCollection: env.STRIPE_TAX_ID_COLLECTION,
      invoices: env.STRIPE_INVOICES,
    }),
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM ?? `${displayName(env.PUBLISHER_NAME)} <no-reply@localhost>`,
    publisherName: env.PUBLISHER_NAME,
    seller: Object.freeze({
      legalName: env.SELLER_LEGAL_NAME ?? (production ? env.PUBLISHER_NAME : DEMO_SELLER.legalName),
      address: Object.freeze(env.SELLER_ADDRESS ?? (production ? [] : DEMO_SELLER.address)),
      gstHstNumber: env.SELLER_GST_HST_NUMBER ?? (production ? '' : DEMO_SELLER.gstHstNumber),
      qstNumber: env.SELLER_QST_NUMBER,
    }),
    mailDir: env.MAIL_DIR,
    mailMaxAttempts: env.MAIL_MAX_ATTEMPTS,
    mailRetryBaseMs: env.MAIL_RETRY_BASE_SECONDS * 1000,
    mailSubjects: Object.freeze(env.MAIL_SUBJECTS ?? {}),
    adminEmails,
    contactEmail: env.CONTACT_EMAIL ?? adminEmails[0],
    demoContent: env.DEMO_CONTENT ?? !production,
    logLevel: env.LOG_LEVEL,
    cacheHitLogEvery: env.CACHE_HIT_LOG_EVERY,
    signalHeartbeatMs: env.SIGNAL_HEARTBEAT_MS,
    pageViewFlushMs: env.PAGE_VIEW_FLUSH_MS,
    signalStreamLimits: Object.freeze({ perMember: env.SIGNAL_STREAMS_PER_MEMBER, perIp: env.SIGNAL_STREAMS_PER_IP }),
    trustProxy: env.TRUST_PROXY,
    metricsToken: env.METRICS_TOKEN,
    http: Object.freeze({
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      maxConnections: env.HTTP_MAX_CONNECTIONS,
    }),
  });
}
