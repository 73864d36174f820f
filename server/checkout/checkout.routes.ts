import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Router, type Request, type Response } from 'express';
import type { Platform } from '../ops/platform.ts';
import type { AccessCache } from '../access/access-cache.ts';
import type { SessionCookie } from '../accounts/session-cookie.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { tryParseInput } from '../http/validate.ts';
import { createRateLimits } from '../http/rate-limits.ts';
import { findThesisForCheckout } from '../catalog/thesis.repo.ts';
import { formatPrice } from '../http/money.ts';
import { priceTaxNote } from '../catalog/price-tax-note.ts';
import { canReadMembersLayer } from '../access/access.ts';
import { fulfilCheckoutSession } from './fulfilment.ts';
import { signInFromSuccessPage } from './success-sign-in.ts';
import { successPageLocals } from './success-page.ts';
import { findUserById } from '../accounts/users.repo.ts';
import { checkoutBrowser } from './checkout-browser.ts';
import { recordCheckoutAttempt, type CheckoutSource } from './checkout-attempts.ts';
import { attestationBoxes, checkoutForm } from './buy-form.ts';
import { StripeRefusal, type StripeGateway } from './stripe-gateway.ts';
import { checkOfferCode, type UsableOffer } from './offers.ts';
import { giftRoutes } from './gift.routes.ts';
import { attemptFor, sessionRequestFor, type ThesisCheckout } from './thesis-checkout.ts';
import { findGiftOfSession } from './gifts.repo.ts';

const CHECKOUT_SESSION_ID = /^cs_[A-Za-z0-9_]{1,250}$/;
const BOXES_MISSING = 'Please confirm all three statements before paying: tick each box marked below.';
// All boxes ticked but the form's nonce was missing or altered: a fresh one comes with the page.
const FORM_STALE = 'This form could not be used. Please confirm the three statements again.';

function requirePayments(stripe: StripeGateway | null): StripeGateway {
  if (!stripe) throw new HttpError(503, 'Payments are not configured on this site yet, so nothing can be bought.', 'Payments unavailable');
  return stripe;
}

/** A view of a thesis's buy page, from the analytics feature (above this one): cheap, no I/O. */
export type BuyPageViewed = (req: IncomingMessage, thesisId: string) => void;
/** Where the visitor starting a checkout came from, from the analytics feature: memory only, no I/O. */

export function checkoutRoutes(deps: Platform & { stripe: StripeGateway | null; access: AccessCache }, sessions: SessionCookie, buyPageViewed: BuyPageViewed, checkoutSource: CheckoutSource = () => null): Router {
  const { db, clock, config, logger } = deps;
  const router = Router();
  const browser = checkoutBrowser({ secure: config.secureCookies });
  const successSignIn = { db, clock, sessions, browser, adminEmails: config.adminEmails };

  async function loadThesis(req: Request, res: Response) {
    requirePayments(deps.stripe);
    const thesis = await findThesisForCheckout(db, String(req.params.slug), clock.now());
    if (!thesis) throw notFound('We could not find that thesis.');
    res.set('Cache-Control', 'private, no-store');
    return { ...thesis, price: formatPrice(thesis.priceAmount, thesis.currency) };
  }

  /** An offer's code from the link or the form: usable, or refused with the reason (then the full price is offered). */
  type OfferAnswer = { offer: UsableOffer } | { refusal: string } | null;
  const offerFor = (typed: unknown, thesisId: string): Promise<OfferAnswer> =>
    typeof typed === 'string' && typed !== '' ? checkOfferCode(db, typed, thesisId, clock.now()) : Promise.resolve(null);

  // `posted`: the refused form, so the page marks the boxes left unticked. A refused offer is a 400 when
  // posted; from a link (GET) the page is the same, at the full price, with the reason.
  const renderBuy = (res: Response, thesis: Awaited<ReturnType<typeof loadThesis>>, posted?: Record<string, unknown>, offered: OfferAnswer = null, fromLink = false) => {
    const boxes = attestationBoxes(posted);
    const refused = offered !== null && 'refusal' in offered;
    res.status(posted || (refused && !fromLink) ? 400 : 200).render('buy', {
      offer: offered && 'offer' in offered ? offered.offer : null,
      offerRefusal: refused ? offered.refusal : null,
      title: `Buy ${thesis.title}`,
      thesis,
      boxes,
      automaticTax: config.checkout.automaticTax,
      priceTaxNote: priceTaxNote(thesis.taxBehavior, config.checkout.automaticTax),
      taxIncluded: thesis.taxBehavior === 'inclusive',
      attempt: randomUUID(),
      error: posted && boxes.some((box) => box.invalid) ? BOXES_MISSING : posted && !refused ? FORM_STALE : undefined,
    });
  };
  // Someone who can already read it is not sent to pay twice.
  const renderAlreadyMember = (res: Response, thesis: { title: string; slug: string }) =>
    res.render('already-member', { title: thesis.title, thesis });

  router.get('/theses/:slug/buy', createRateLimits(deps).offerCodeLookupsPerIp('buy'), async (req, res) => {
    const thesis = await loadThesis(req, res);
    if (await canReadMembersLayer(db, res.locals.viewer, thesis.id)) return renderAlreadyMember(res, thesis);
    buyPageViewed(req, thesis.id);
    renderBuy(res, thesis, undefined, await offerFor(req.query.offer, thesis.id), true);
  });

  router.use(giftRoutes({ ...deps, loadThesis, requirePayments, browser, checkoutSource }));

  router.post('/theses/:slug/checkout', createRateLimits(deps).checkoutCreationsPerIp(), async (req, res) => {
    const thesis = await loadThesis(req, res);
    const stripe = requirePayments(deps.stripe);
    if (await canReadMembersLayer(db, res.locals.viewer, thesis.id)) return renderAlreadyMember(res, thesis);
    const form = tryParseInput(checkoutForm, req.body);
    const offered = await offerFor(form ? form.offer : req.body?.offer, thesis.id);
    if (!form) return renderBuy(res, thesis, req.body ?? {}, offered);
    // A code that no longer applies: nothing is created; the page says why and offers the full price.
    if (offered && 'refusal' in offered) return renderBuy(res, thesis, undefined, offered);
    const offer = offered?.offer;
    const buyer = res.locals.viewer ? await findUserById(db, res.locals.viewer.userId) : null;
    const checkout: ThesisCheckout = {
      thesis,
      attempt: form.attempt,
      kind: 'checkout',
      title: thesis.title,
      buyer,
      ...(offer && { offer: { id: offer.id, promotionCodeId: offer.promotionCodeId } }),
    };
    const session = await stripe.createCheckoutSession(sessionRequestFor(config, checkout)).catch((error: unknown) => {
      if (offer && error instanceof StripeRefusal) return null;
      throw error;
    });
    if (!session) return renderBuy(res, thesis, undefined, { refusal: `Stripe no longer accepts the offer ${offer!.code}. You can still buy this thesis at the full price.` });
    await recordCheckoutAttempt(
      db,
      attemptFor(config, checkout, session, { attestedAt: clock.now(), attestedIp: req.ip ?? '', browserNonceHash: browser.mark(res), source: checkoutSource(req) }),
    );
    res.redirect(303, session.url);
  });

  router.get('/checkout/success', async (req, res) => {
    const sessionId = req.query.session_id;
    if (typeof sessionId !== 'string' || !CHECKOUT_SESSION_ID.test(sessionId)) throw badRequest('This checkout link is not valid.');
    const stripe = requirePayments(deps.stripe);
    const facts = await stripe.retrieveCheckoutSession(sessionId).catch((error: { statusCode?: number }) => {
      if (error?.statusCode === 404) throw notFound('We could not find that checkout.');
      throw error;
    });
    const outcome = await fulfilCheckoutSession({ db, clock, adminEmails: config.adminEmails }, facts);
    res.set('Cache-Control', 'private, no-store');
    if (outcome.status === 'not-paid') return res.render('checkout-pending', { title: 'Payment processing' });
    if (outcome.status === 'duplicate') {
      deps.mailQueued();
      // No sign-in and no word of the duplicate here: the address typed on Stripe's page proves nothing,
      // so the page reads as for any purchase by an existing account; the e-mail tells the owner.
      return res.render('checkout-success', await successPageLocals(db, outcome.duplicate.thesisSlug, 'check-inbox', null));
    }
    if (outcome.status === 'rejected') {
      logger.error({ checkoutSessionId: facts.id, reason: outcome.reason }, 'checkout session refused');
      deps.mailQueued();
      throw new HttpError(409, 'We could not match this payment to a thesis. Please contact us; nothing was lost.', 'Payment needs a look', {
        href: '/contact',
        text: 'Contact us',
      });
    }
    if (outcome.status === 'fulfilled') {
      deps.mailQueued();
      await deps.access.accessChanged([outcome.purchase.userId, ...(outcome.purchase.giftRecipientId ? [outcome.purchase.giftRecipientId] : [])]);
    }
    // A gift: the payer reads nothing, so no sign-in; the page says when it is delivered, not to whom.
    const gift = await findGiftOfSession(db, facts.id);
    if (gift) {
      const locals = await successPageLocals(db, outcome.purchase.thesisSlug, 'check-inbox', null);
      return res.render('checkout-success', { ...locals, gift: { deliverOn: gift.deliverOn.toISOString().slice(0, 10), delivered: gift.deliveredAt !== null } });
    }
    const signIn = await signInFromSuccessPage(successSignIn, req, res, outcome.purchase, facts.id);
    res.render('checkout-success', await successPageLocals(db, outcome.purchase.thesisSlug, signIn, res.locals.viewer ?? null));
  });

  return router;
}
