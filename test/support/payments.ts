import { WEBHOOK_SECRET, DEMO_SLUG, buyThesis, postWebhook, sessionJwtOf, signInByEmail, type Warren } from './harness.ts';
import type { FakeCheckoutSession } from './fake-stripe.ts';

/** Signs and posts one event to the app, as Stripe would deliver it. */
export function deliver(warren: Warren, type: string, object: unknown, options: { eventId?: string; timestamp?: number; livemode?: boolean } = {}) {
  return postWebhook(warren, warren.stripe.signedEvent(type, object, WEBHOOK_SECRET, options));
}

/** A Checkout Session created through the buy page and paid on the fake Stripe (no event sent yet). */
export async function paidSession(warren: Warren, email: string, slug = DEMO_SLUG): Promise<FakeCheckoutSession> {
  const { sessionId } = await buyThesis(warren, email, slug);
  return warren.stripe.sessions.get(sessionId)!;
}

/** The state of one buyer's access to the demo thesis and of their purchases, as the database holds it. */
export async function standing(warren: Warren, email: string) {
  const user = await warren.db.user.findUnique({ where: { email }, select: { id: true } });
  if (!user) return { entitlement: null, purchases: [] as string[] };
  const [entitlement, purchases] = await Promise.all([
    warren.db.entitlement.findFirst({ where: { userId: user.id, thesis: { slug: DEMO_SLUG } }, select: { status: true } }),
    warren.db.purchase.findMany({ where: { userId: user.id }, select: { status: true } }),
  ]);
  return { entitlement: entitlement?.status ?? null, purchases: purchases.map((purchase) => purchase.status) };
}

/** A buyer of a thesis, then signed in from their inbox: a member whose address is proven. */
export async function verifiedMember(warren: Warren, email: string, slug = DEMO_SLUG) {
  const { sessionId } = await buyThesis(warren, email, slug);
  await deliver(warren, 'checkout.session.completed', warren.stripe.sessions.get(sessionId)).expect(200);
  const { agent, confirm } = await signInByEmail(warren, email);
  return { agent, jwt: sessionJwtOf(confirm), sessionId };
}

