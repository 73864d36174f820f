import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Platform } from '../ops/platform.ts';
import type { AdminSection } from '../http/admin-section.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { parseInput } from '../http/validate.ts';
import { suggestOfferCode, type OfferFormInput, type OfferFormProblems } from './offer-form.ts';
import { createOffer, discountLabel, endOffer, makeInStripe, offersPage, type OfferDeps } from './offers.ts';
import { findOffer } from './offers.repo.ts';
import type { StripeGateway } from './stripe-gateway.ts';

const field = z.string().max(200).optional();
const offerForm = z.object({ thesisId: field, kind: field, percentOff: field, amountOff: field, expiresOn: field, maxRedemptions: field, code: field });
const offerId = z.uuid();

/**
 * /admin/offers: the publisher's offers (see checkout/README.md, "Offers"). Behind the admin gate and
 * the CSRF check, as every /admin route; the section belongs to checkout, which sits above admin.
 */
export function offersAdminSection(deps: Platform & { stripe: StripeGateway | null }): AdminSection {
  const { db, clock, config } = deps;
  const router = Router();
  const offerDeps = (): OfferDeps => {
    if (!deps.stripe) throw new HttpError(503, 'Payments are not configured here, so no offer can be made in Stripe.', 'Payments not configured');
    return { db, clock, stripe: deps.stripe };
  };
  const idOf = (value: unknown) => {
    const parsed = offerId.safeParse(value);
    if (!parsed.success) throw notFound('There is no such offer.');
    return parsed.data;
  };

  const render = async (res: Response, form: OfferFormInput, problems: OfferFormProblems = {}, created?: string) => {
    const page = await offersPage(db, clock.now(), config.appUrl);
    const invalid = Object.keys(problems).length > 0;
    const kind = form.kind ?? 'percent';
    res.status(invalid ? 400 : 200).render('admin/offers', {
      title: 'Offers',
      ...page,
      theses: page.theses.map((thesis) => ({ ...thesis, selected: thesis.id === form.thesisId })),
      form: { ...form, percent: kind === 'percent', amount: kind === 'amount', code: form.code ?? suggestOfferCode() },
      errors: problems,
      problems: Object.values(problems),
      created: page.offers.find((offer) => offer.id === created),
      paymentsEnabled: deps.stripe !== null,
    });
  };

  router.get('/offers', async (req, res) => {
    const created = typeof req.query.created === 'string' ? req.query.created : undefined;
    await render(res, {}, {}, created);
  });

  router.post('/offers', async (req, res) => {
    const making = offerDeps();
    const form = parseInput(offerForm, req.body);
    const outcome = await createOffer(making, form, res.locals.admin.id);
    if ('problems' in outcome) return render(res, form, outcome.problems);
    res.redirect(303, `/admin/offers?created=${outcome.offerId}`);
  });

  // A pending offer (Stripe failed or did not answer): the same keys again, so at most one of each.
  router.post('/offers/:id/retry', async (req, res) => {
    const id = idOf(req.params.id);
    await makeInStripe(offerDeps(), id);
    res.redirect(303, `/admin/offers?created=${id}`);
  });

  // A page, not a script dialog: a POST without confirm=yes only asks.
  router.post('/offers/:id/end', async (req, res) => {
    const ending = offerDeps();
    const offer = await findOffer(db, idOf(req.params.id));
    if (!offer) throw notFound('There is no such offer.');
    if (parseInput(z.object({ confirm: field }), req.body).confirm !== 'yes') {
      return res.render('admin/offer-end', { title: `End the offer ${offer.code}?`, offer, discount: discountLabel(offer) });
    }
    await endOffer(ending, offer.id);
    res.redirect(303, '/admin/offers');
  });

  return { href: '/offers', label: 'Offers', description: 'discount codes and free review copies for a thesis, each with a shareable link', router };
}
