import { Router } from 'express';
import { formatPrice } from '../../http/money.ts';
import { localRequestsOnly } from '../../http/local-only.ts';
import type { LocalStripe } from './local-stripe.ts';

const STATES: Record<string, string> = {
  paid: 'paid',
  free: 'paid nothing (100 %-off code): nothing to refund',
  refunded: 'refunded: access revoked',
  disputed: 'disputed: access paused',
};

/**
 * /dev/payments: the test payments made since the server started, with Refund and Dispute buttons
 * that deliver the signed `charge.refunded` / `charge.dispute.created` Stripe would send, so a
 * newcomer sees access appear and go. Mounted only in test-payment mode (server/app.ts), and answered
 * only on the machine running the site (it lists buyers and takes their access away).
 */
export function testPaymentRoutes(local: LocalStripe, appUrl: string): Router {
  const router = Router();
  router.use('/dev/payments', localRequestsOnly(appUrl));

  router.get('/dev/payments', (_req, res) => {
    const payments = local.payments().map(({ session, product, state, open }) => ({
      id: session.id,
      email: session.customer_details?.email,
      product,
      amount: formatPrice(session.amount_total, session.currency),
      created: new Date(session.created * 1000),
      state: STATES[state],
      open,
    }));
    res.set('Cache-Control', 'no-store').render('dev/payments', { title: 'Test payments', payments });
  });

  router.post('/dev/payments/:sessionId/refund', async (req, res) => {
    await local.refundPayment(req.params.sessionId);
    res.redirect(303, '/dev/payments');
  });

  router.post('/dev/payments/:sessionId/dispute', async (req, res) => {
    await local.openDispute(req.params.sessionId);
    res.redirect(303, '/dev/payments');
  });

  return router;
}
