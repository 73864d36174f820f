import request from 'supertest';
import { expect } from 'vitest';
import { DEMO_SLUG, buyThesis, expectStatus, signInByEmail, submitForm, type Warren } from './harness.ts';

export const ADMIN = 'publisher@example.com';
export const ADMIN_PAGE = `/admin/theses/${DEMO_SLUG}/signals`;

type Agent = ReturnType<typeof request.agent>;

/** The demo thesis's signals, in their public order. */
export async function demoSignals(warren: Warren) {
  const thesis = await warren.db.thesis.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
  const signals = await warren.db.signal.findMany({ where: { thesisId: thesis.id }, orderBy: { position: 'asc' } });
  return { thesis, signals };
}

/** Pays for the demo thesis on the fake Stripe and comes back through the success page, signed in. */
export async function buyAndSignIn(warren: Warren, email: string) {
  const { agent, sessionId } = await buyThesis(warren, email);
  const success = await agent.get(`/checkout/success?session_id=${sessionId}`).expect(200);
  return { agent, cookie: sessionCookie(success.headers['set-cookie']) };
}

/** Signs in through the e-mail flow, creating the account first (sign-in mails go to known people only). */
async function signInAs(warren: Warren, email: string) {
  await warren.db.user.upsert({ where: { email }, create: { email, createdAt: warren.clock.now() }, update: {} });
  return signInByEmail(warren, email);
}

/** A signed-in reader without any purchase. */
export async function signInWithoutPurchase(warren: Warren, email: string) {
  const { agent, confirm } = await signInAs(warren, email);
  return { agent, cookie: sessionCookie(confirm.headers['set-cookie']) };
}

/** The "name=value" of the session cookie a response set, for clients other than the agent. */
export function sessionCookie(setCookie: string | string[] | undefined): string {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const session = cookies.find((cookie) => cookie.startsWith('warren_session='));
  if (!session) throw new Error(`no session cookie set: ${cookies.join(' | ')}`);
  return session.split(';')[0];
}

export async function signInAdmin(warren: Warren, email = ADMIN): Promise<Agent> {
  return (await signInAs(warren, email)).agent;
}

export interface UpdateFields {
  signalId: string;
  status: string;
  note: string;
  occurredOn?: string;
  sourceUrl?: string;
  correctsSequence?: string;
  alert?: boolean;
}

/** Submits the admin form as the publisher would and expects the redirect back to the page. */
export async function recordUpdate(admin: Agent, fields: UpdateFields) {
  const { alert, occurredOn, ...rest } = fields;
  const res = expectStatus(
    await submitForm(admin, ADMIN_PAGE, ADMIN_PAGE, {
      ...rest,
      occurredOn: occurredOn ?? '2026-11-20',
      ...(alert ? { alert: 'yes' } : {}),
    }),
    303,
  );
  expect(res.headers.location).toMatch(new RegExp(`^${ADMIN_PAGE}\\?recorded=\\d+#signal-`));
  return Number(/recorded=(\d+)/.exec(res.headers.location)![1]);
}
