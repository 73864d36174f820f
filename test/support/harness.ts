import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app.ts';
import { buildDeps, type AppDeps, type DepsOverrides } from '../../server/deps.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import type { Clock } from '../../server/clock.ts';
import { seedDemoContentIfEmpty } from '../../server/publishing/demo-seed.ts';
import type { MailDelivery } from '../../server/mail/mail-delivery.ts';
import type { ShutdownRunner } from '../../server/ops/shutdown.ts';
import { SIGN_IN_MAIL_INTERVAL_MS } from '../../server/accounts/sign-in-request.ts';
import { FakeStripe } from './fake-stripe.ts';
import { SmtpInbox } from './smtp-inbox.ts';
import { openTestDatabase, type TestDatabase } from './test-database.ts';

export const APP_URL = 'http://warren.test';
export const WEBHOOK_SECRET = 'whsec_test_secret';
/** Random per run, as a production secret must be (config.ts refuses a phrase there). */
export const TEST_JWT_SECRET = randomBytes(32).toString('hex');
export const DEMO_SLUG = 'decode-singularity';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-11-26T12:00:00Z')) {}
  now = () => new Date(this.current);
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface Warren {
  app: Express;
  config: Readonly<Config>;
  database: TestDatabase;
  db: TestDatabase['prisma'];
  clock: TestClock;
  stripe: FakeStripe;
  inbox: SmtpInbox;
  /** What the app was built from (server/deps.ts): its caches, change bus, services. */
  deps: AppDeps;
  /** Runs the outbox worker until nothing is due: the mail is then in `inbox`. */
  deliverMail(): Promise<void>;
  /** The app's mail delivery (worker and SMTP pool); tests that simulate a restart build their own. */
  mail: MailDelivery;
  /** The app's shutdown hooks, as SIGTERM would run them in main.ts. */
  shutdown: ShutdownRunner;
  close(): Promise<void>;
}

/** The whole site on a real database, the real Stripe SDK against a fake API, and a real SMTP server. */
export async function startWarren(environment: Record<string, string | undefined> = {}, options: { logger?: Logger } = {}): Promise<Warren> {
  const clock = new TestClock();
  const [stripe, inbox, database] = await Promise.all([new FakeStripe(clock).start(), new SmtpInbox().start(), openTestDatabase()]);
  const config = loadConfig({
    NODE_ENV: 'test',
    APP_URL,
    JWT_SECRET: TEST_JWT_SECRET,
    STRIPE_SECRET_KEY: 'sk_test_warren',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: stripe.url,
    SMTP_URL: inbox.url,
    MAIL_FROM: 'Warren Research <research@warren.test>',
    CONTACT_EMAIL: 'contact@warren.test',
    ...environment,
  });
  await seedDemoContentIfEmpty(database.prisma, clock.now(), config.publisherName);
  // Built as main.ts builds it; only the mail worker is driven by hand (deliverMail).
  const built = await buildDeps(config, { clock, database, logger: options.logger ?? pino({ level: 'silent' }), mailDrivenByHand: true });
  return {
    app: createApp(built.deps),
    config,
    database,
    db: database.prisma,
    clock,
    stripe,
    inbox,
    deps: built.deps,
    deliverMail: () => built.mail.worker.drain(),
    mail: built.mail,
    shutdown: built.shutdown,
    async close() {
      await built.close();
      await Promise.all([stripe.close(), inbox.close(), database.destroy()]);
    },
  };
}

/**
 * Another instance of the site beside `warren` (same configuration, its own caches, change bus and
 * signal broadcaster), built through buildDeps; by default on the same database and clock.
 */
export async function startInstance(warren: Warren, { config, ...overrides }: DepsOverrides & { config?: Readonly<Config> } = {}) {
  const built = await buildDeps(config ?? warren.config, {
    clock: warren.clock,
    database: warren.database,
    logger: pino({ level: 'silent' }),
    mailDrivenByHand: true,
    ...overrides,
  });
  return { app: createApp(built.deps), deps: built.deps, close: () => built.close() };
}

type Agent = ReturnType<typeof request.agent>;

/** The CSRF token of the (first) form on a page. */
export function csrfToken(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF field on this page');
  return match[1];
}

/** Opens the page holding a form, as a person would, then submits it with that page's CSRF token. */
export async function submitForm(agent: Agent, pagePath: string, action: string, fields: Record<string, string> = {}) {
  const page = await agent.get(pagePath).expect(200);
  return agent.post(action).type('form').send({ ...fields, _csrf: csrfToken(page.text) });
}

/** Asserts a response's status (with its body in the failure message) and hands it back. */
export function expectStatus<T extends { status: number; text: string }>(res: T, status: number): T {
  if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  return res;
}

/** The three confirmations the buy page asks for before payment. */
export const ATTESTED = { qualifiedInvestor: 'yes', acceptTerms: 'yes', notAdvice: 'yes' } as const;

/** Submits the buy page's form (its nonce and CSRF token, the confirmations, any extra fields). */
export async function startCheckout(agent: Agent, slug = DEMO_SLUG, fields: Record<string, string> = ATTESTED) {
  const page = await agent.get(`/theses/${slug}/buy`).expect(200);
  const attempt = /name="attempt" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  return agent.post(`/theses/${slug}/checkout`).type('form').send({ attempt, ...fields, _csrf: csrfToken(page.text) });
}

/** Starts checkout for a thesis and pays on the fake Stripe, returning the paid session id. */
export async function buyThesis(warren: Warren, email: string, slug = DEMO_SLUG, agent = request.agent(warren.app)) {
  const checkout = expectStatus(await startCheckout(agent, slug), 303);
  const sessionId = new URL(checkout.headers.location).pathname.split('/').pop()!;
  warren.stripe.pay(sessionId, email);
  return { agent, sessionId, checkout };
}

/** Posts a signed webhook event to the app. */
export function postWebhook(warren: Warren, signed: { body: string; signature: string }) {
  return request(warren.app)
    .post('/webhooks/stripe')
    .set('Content-Type', 'application/json')
    .set('Stripe-Signature', signed.signature)
    .send(signed.body);
}

/** One sign-in mail per address per minute: a test asking again for the same address first lets that minute pass on its clock. */
export async function waitOutSignInInterval(warren: Warren, email: string): Promise<void> {
  const since = new Date(warren.clock.now().getTime() - SIGN_IN_MAIL_INTERVAL_MS);
  const last = await warren.db.outboxMessage.findFirst({
    where: { template: 'sign-in', recipient: email.trim().toLowerCase(), createdAt: { gt: since } },
    orderBy: { createdAt: 'desc' },
  });
  if (last) warren.clock.advance(last.createdAt.getTime() - since.getTime());
}

/** Signs in through the real e-mail flow: request, deliver, follow the link, confirm. */
export async function signInByEmail(warren: Warren, email: string, next = '/') {
  const agent = request.agent(warren.app);
  // Mail queued earlier (a receipt) goes first, so the newest message in the inbox is this link.
  await warren.deliverMail();
  await waitOutSignInInterval(warren, email);
  expectStatus(await submitForm(agent, '/login', '/login', { email, next }), 200);
  await warren.deliverMail();
  const link = warren.inbox.latestLink(email, warren.config.appUrl);
  const token = new URL(link, APP_URL).searchParams.get('token')!;
  const confirm = await submitForm(agent, link, '/login/verify', { token });
  return { agent, confirm };
}

/** The session JWT a response set, for tests that replay it as a stolen cookie would be. */
export function sessionJwtOf(res: { headers: Record<string, unknown> }): string {
  const match = /warren_session=([^;]+)/.exec(String(res.headers['set-cookie']));
  if (!match) throw new Error('this response set no session cookie');
  return match[1];
}
