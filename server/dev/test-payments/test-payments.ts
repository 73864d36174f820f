import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { Config, StripeConfig } from '../../config.ts';
import { LocalStripe } from './local-stripe.ts';

/** Test-payment mode, running: the keys the site's Stripe gateway uses, and the local API behind them. */
export interface TestPayments {
  stripe: StripeConfig;
  local: LocalStripe;
  close(): Promise<void>;
}

/** Raised when something asks for test payments where real money is taken. */
export class TestPaymentsRefused extends Error {}

/**
 * Starts the local Stripe-compatible API on a loopback port, with a secret key and a webhook signing
 * secret made for this process: only this site can call it, and only it can sign events the site
 * accepts. Events go to `webhookUrl` (the site's own /webhooks/stripe). Test keys: livemode false.
 */
export async function startTestPayments({ env, clock, webhookUrl }: { env: Config['env']; clock: Clock; webhookUrl: string }): Promise<TestPayments> {
  // config.ts never turns test payments on in production; this holds even if a caller forgets it.
  if (env === 'production') throw new TestPaymentsRefused('Test payments never run in production: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.');
  const secretKey = `sk_test_local_${randomBytes(16).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`;
  const local = await new LocalStripe(clock, secretKey).sendWebhooksTo(webhookUrl, webhookSecret).listen();
  return { stripe: { secretKey, webhookSecret, apiBase: local.url }, local, close: () => local.close() };
}
