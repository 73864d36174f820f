import { Router, type Response } from 'express';
import type { Platform } from '../ops/platform.ts';
import { alertThesisTitle, stopThesisAlerts } from './alert-preferences.repo.ts';
import { unsubscribeFromAlerts } from './mail.repo.ts';
import { createUnsubscribeTokens } from './unsubscribe-token.ts';

/**
 * /unsubscribe?token=…, from the footer links or the List-Unsubscribe header; no sign-in needed.
 * GET shows a confirmation (link scanners open GETs); POST unsubscribes: from every alert, or with a
 * per-thesis token from that thesis's alerts only. Mail clients send the RFC 8058 one-click POST
 * without a CSRF token, so app.ts mounts this router before the CSRF check: the signed token in the
 * URL is what authorises it, and a forged request could only unsubscribe.
 */
export function unsubscribeRoutes({ db, config, clock }: Platform): Router {
  const tokens = createUnsubscribeTokens(config.jwtSecret);
  const router = Router();

  const invalid = (res: Response) =>
    res.status(400).render('unsubscribe', {
      title: 'Unsubscribe',
      invalid: true,
    });

  router.get('/unsubscribe', async (req, res) => {
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    const scope = tokens.verify(req.query.token);
    if (!scope) return invalid(res);
    const thesisTitle = scope.thesisId === undefined ? null : await alertThesisTitle(db, scope.thesisId);
    if (scope.thesisId !== undefined && thesisTitle === null) return invalid(res);
    res.render('unsubscribe', { title: 'Unsubscribe', token: req.query.token, thesisTitle });
  });

  router.post('/unsubscribe', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const scope = tokens.verify(req.query.token ?? req.body?.token);
    if (!scope) return invalid(res);
    if (scope.thesisId === undefined) {
      if (!(await unsubscribeFromAlerts(db, scope.userId))) return invalid(res);
      return res.render('unsubscribe', { title: 'Unsubscribed', done: true });
    }
    const thesisTitle = await stopThesisAlerts(db, scope.userId, scope.thesisId, clock.now());
    if (thesisTitle === null) return invalid(res);
    res.render('unsubscribe', { title: 'Unsubscribed', done: true, thesisTitle });
  });

  return router;
}
