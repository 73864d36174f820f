import { Router, type Response } from 'express';
import type { Platform } from '../ops/platform.ts';
import { unsubscribeFromAlerts } from './mail.repo.ts';
import { createUnsubscribeTokens } from './unsubscribe-token.ts';

/**
 * /unsubscribe?token=…, from the footer link or the List-Unsubscribe header; no sign-in needed.
 * GET shows a confirmation (link scanners open GETs); POST unsubscribes. Mail clients send the RFC 8058
 * one-click POST without a CSRF token, so app.ts mounts this router before the CSRF check: the
 * signed token in the URL is what authorises it, and a forged request could only unsubscribe.
 */
export function unsubscribeRoutes({ db, config }: Platform): Router {
  const tokens = createUnsubscribeTokens(config.jwtSecret);
  const router = Router();

  const invalid = (res: Response) =>
    res.status(400).render('unsubscribe', {
      title: 'Unsubscribe',
      invalid: true,
    });

  router.get('/unsubscribe', (req, res) => {
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    if (!tokens.verify(req.query.token)) return invalid(res);
    res.render('unsubscribe', { title: 'Unsubscribe', token: req.query.token });
  });

  router.post('/unsubscribe', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const userId = tokens.verify(req.query.token ?? req.body?.token);
    if (!userId || !(await unsubscribeFromAlerts(db, userId))) return invalid(res);
    res.render('unsubscribe', { title: 'Unsubscribed', done: true });
  });

  return router;
}
