import { Router } from 'express';
import type { AppDeps } from '../deps.ts';
import type { SessionCookie } from '../accounts/session-cookie.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { findThesisForCheckout } from '../catalog/thesis.repo.ts';
import { formatPrice } from '../catalog/money.ts';
import { fulfilCheckoutSession } from './fulfilment.ts';
import { signInFromSuccessPage } from './success-sign-in.ts';
import type { StripeGateway } from './stripe-gateway.ts';

const CHECKOUT_SESSION_ID = /^cs_[A-Za-z0-9_]{1,250}$/;

function requirePayments(stripe: StripeGateway | null): StripeGateway {
  if (!stripe) throw new HttpError(503, 'Payments are not configured on this site yet, so nothing can be bought.', 'Payments unavailable');
  return stripe;
}

export function checkoutRoutes(deps: AppDeps, sessions: SessionCookie): Router {
  const { db, clock, config, logger } = deps;
  const router = Router();

  router.get('/theses/:slug/buy', async (req, res) => {
    requirePayments(deps.stripe);
    const thesis = await findThesisForCheckout(db, req.params.slug, clock.now());
    if (!thesis) throw notFound('We could not find that thesis.');
    res.set('Cache-Control', 'private, no-store');
    res.render('buy', { title: `Buy ${thesis.title}`, thesis: { ...thesis, price: formatPrice(thesis.priceAmount, thesis.currency) } });
  });

  router.post('/theses/:slug/checkout', async (req, res) => {
    const stripe = requirePayments(deps.stripe);
    const thesis = await findThesisForCheckout(db, req.params.slug, clock.now());
    if (!thesis) throw notFound('We could not find that thesis.');
    // Amount and currency come from the thesis record only, never from the request.
    const session = await stripe.createCheckoutSession({
      thesisId: thesis.id,
      title: thesis.title,
      amount: thesis.priceAmount,
      currency: thesis.currency,
      successUrl: `${config.appUrl}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
      cancelUrl: `${config.appUrl}/theses/${thesis.slug}`,
    });
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
    const outcome = await fulfilCheckoutSession(db, clock, facts);
    res.set('Cache-Control', 'private, no-store');
    if (outcome.status === 'not-paid') return res.render('checkout-pending', { title: 'Payment processing' });
    if (outcome.status === 'rejected') {
      logger.error({ checkoutSessionId: facts.id, reason: outcome.reason }, 'checkout session refused');
      throw new HttpError(409, 'We could not match this payment to a thesis. Please contact us; nothing was lost.', 'Payment needs a look');
    }
    const signedIn = await signInFromSuccessPage(db, clock, sessions, res, facts.id, outcome.purchase.userId);
    if (outcome.status === 'fulfilled') {
      deps.mailQueued();
      await deps.caches.accessChanged(outcome.purchase.userId);
    }
    res.render('checkout-success', { title: 'Thank you', thesisPath: `/theses/${outcome.purchase.thesisSlug}`, signedIn });
  });

  return router;
}
