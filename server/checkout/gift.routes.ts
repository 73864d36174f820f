import type { CheckoutSource } from './checkout-attempts.ts';
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Platform } from '../ops/platform.ts';
import { tryParseInput } from '../http/validate.ts';
import { createRateLimits } from '../http/rate-limits.ts';
import { activeReaders } from '../access/entitlements.repo.ts';
import { findUserById } from '../accounts/users.repo.ts';
import { isVerifiedViewer, type Viewer } from '../accounts/viewer.ts';
import { attestationBoxes, checkoutForm } from './buy-form.ts';
import { latestDeliveryDay, MAX_GIFT_MESSAGE, parseGiftFields, utcDay, type GiftField } from './gift-form.ts';
import { recordGift } from './gifts.repo.ts';
import { recordCheckoutAttempt } from './checkout-attempts.ts';
import type { CheckoutBrowser } from './checkout-browser.ts';
import type { StripeGateway } from './stripe-gateway.ts';
import { attemptFor, sessionRequestFor, type SellableThesis, type ThesisCheckout } from './thesis-checkout.ts';

export interface GiftRouteDeps extends Platform {
  stripe: StripeGateway | null;
  loadThesis(req: Request, res: Response): Promise<SellableThesis>;
  requirePayments(stripe: StripeGateway | null): StripeGateway;
  browser: CheckoutBrowser;
  checkoutSource: CheckoutSource;
}

const BOXES_MISSING = 'Please confirm all three statements before paying: tick each box marked below.';
// All boxes ticked but the form's nonce was missing or altered: a fresh one comes with the page.
const FORM_STALE = 'This form could not be used. Please check it and confirm the three statements again.';

/**
 * /theses/:slug/gift: "Buy as a gift". The buyer is whoever the buy page takes to be the buyer (the
 * session, if any; Stripe's e-mail field names the payer's receipt address and nothing more). The
 * recipient, message and date are stored in a Gift row with the session (gifts.repo.ts); Stripe
 * carries none of them. See README.md, "Gifts".
 */
export function giftRoutes(deps: GiftRouteDeps): Router {
  const { db, clock, config } = deps;
  const router = Router();

  const render = (res: Response, thesis: SellableThesis, posted?: Record<string, unknown>, errors: Partial<Record<GiftField | 'boxes', string>> = {}) => {
    const now = clock.now();
    const invalid = Object.keys(errors).length > 0;
    // After a refused post, each box keeps what the buyer ticked and an unticked one is marked.
    const boxes = attestationBoxes(invalid ? posted : undefined);
    if (errors.boxes && !boxes.some((box) => box.invalid)) errors.boxes = FORM_STALE;
    res.status(invalid ? 400 : 200).render('gift', {
      title: `Give ${thesis.title}`,
      thesis,
      attempt: randomUUID(),
      boxes,
      fields: {
        recipientEmail: typeof posted?.recipientEmail === 'string' ? posted.recipientEmail : '',
        message: typeof posted?.message === 'string' ? posted.message : '',
        deliverOn: typeof posted?.deliverOn === 'string' && posted.deliverOn !== '' ? posted.deliverOn : utcDay(now),
      },
      today: utcDay(now),
      latest: latestDeliveryDay(now),
      maxMessage: MAX_GIFT_MESSAGE,
      errors,
      problems: Object.values(errors),
    });
  };

  router.get('/theses/:slug/gift', async (req, res) => {
    render(res, await deps.loadThesis(req, res));
  });

  router.post('/theses/:slug/gift', createRateLimits(deps).checkoutCreationsPerIp(), async (req, res) => {
    const thesis = await deps.loadThesis(req, res);
    const stripe = deps.requirePayments(deps.stripe);
    const body: Record<string, unknown> = req.body ?? {};
    const viewer: Viewer | null = res.locals.viewer ?? null;
    const buyer = viewer ? await findUserById(db, viewer.userId) : null;
    const form = tryParseInput(checkoutForm, body);
    const parsed = parseGiftFields(body, clock.now());
    const errors: Partial<Record<GiftField | 'boxes', string>> = 'errors' in parsed ? { ...parsed.errors } : {};
    if (!form) errors.boxes = BOXES_MISSING;
    if ('gift' in parsed) {
      const refusal = await recipientRefusal(parsed.gift.recipientEmail, buyer?.email ?? null, thesis);
      if (refusal) errors.recipientEmail = refusal;
    }
    if (!form || !('gift' in parsed) || Object.keys(errors).length > 0) return render(res, thesis, body, errors);
    const checkout: ThesisCheckout = { thesis, attempt: form.attempt, kind: 'gift', title: `${thesis.title} (gift)`, buyer };
    const session = await stripe.createCheckoutSession(sessionRequestFor(config, checkout));
    const now = clock.now();
    // The gift first: an attempt without its gift would be fulfilled as the payer's own purchase.
    await recordGift(db, {
      id: form.attempt,
      checkoutSessionId: session.id,
      thesisId: thesis.id,
      // Named as the sender only when the session speaks for the account (signed in from its inbox).
      buyerUserId: viewer && buyer && isVerifiedViewer(viewer) ? buyer.id : null,
      ...parsed.gift,
      createdAt: now,
    });
    await recordCheckoutAttempt(
      db,
      attemptFor(config, checkout, session, { attestedAt: now, attestedIp: req.ip ?? '', browserNonceHash: deps.browser.mark(res), source: deps.checkoutSource(req) }),
    );
    res.redirect(303, session.url);
  });

  /** Why this recipient cannot be given the thesis, before anyone pays: oneself, or already an owner. */
  async function recipientRefusal(recipientEmail: string, buyerEmail: string | null, thesis: SellableThesis): Promise<string | null> {
    if (recipientEmail === buyerEmail) return `That is your own address: to read it yourself, buy it at /theses/${thesis.slug}/buy.`;
    const readers = await activeReaders(db, [{ email: recipientEmail, thesisId: thesis.id }]);
    if (readers.size > 0) return 'That address can already read this thesis, so a gift would buy nothing new.';
    return null;
  }

  return router;
}
