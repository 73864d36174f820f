import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { badRequest } from '../http/errors.ts';
import { parseInput } from '../http/validate.ts';
import { ALERT_LEVELS, ALERT_LEVEL_LABELS } from '../mail/alert-preferences.ts';
import { alertLevelsOf, setAlertLevel } from '../mail/alert-preferences.repo.ts';
import type { Platform } from '../ops/platform.ts';
import { listReadableTheses } from './account.repo.ts';
import { requireVerifiedViewer } from './require-viewer.ts';

const alertPreferenceForm = z.object({ thesisId: z.string().min(1).max(100), level: z.enum(ALERT_LEVELS) });

/** For the account page: each thesis's three choices, in the order given, the member's level checked. */
export async function thesisAlertChoices(db: Db, userId: string, thesisIds: readonly string[]) {
  const levels = await alertLevelsOf(db, thesisIds.map((thesisId) => ({ userId, thesisId })));
  return levels.map((current) => ALERT_LEVELS.map((level) => ({ level, label: ALERT_LEVEL_LABELS[level], checked: level === current })));
}

/** POST /account/alert-preferences: one thesis's level, from the form beside it on the account page. */
export function alertPreferenceRoutes({ db, clock }: Platform): Router {
  const router = Router();

  router.post('/account/alert-preferences', requireVerifiedViewer, async (req, res) => {
    const { userId } = res.locals.viewer;
    const form = parseInput(alertPreferenceForm, req.body, `Choose one of the three alert settings: ${ALERT_LEVELS.map((level) => ALERT_LEVEL_LABELS[level]).join(', ')}.`);
    // Only a thesis the member reads now: no preferences about theses they never held, nor probing for ids.
    if ((await listReadableTheses(db, { userId, thesisId: form.thesisId })).length === 0) {
      throw badRequest('You do not hold that thesis, so there are no alerts about it to set.');
    }
    await setAlertLevel(db, userId, form.thesisId, form.level, clock.now());
    res.redirect(303, '/account?saved=alerts#alerts');
  });

  return router;
}
