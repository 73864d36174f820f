import { Router } from 'express';
import type { Platform } from '../ops/platform.ts';
import type { AdminSection } from '../http/admin-section.ts';
import { notFound } from '../http/errors.ts';
import { listFailedMail, outboxCounts, retryFailedMail } from './mail.repo.ts';

/** /admin/mail: the outbox at a glance, failed messages with their error, and a retry button. */
export function mailAdminSection({ db, clock, mailQueued }: Platform): AdminSection {
  const router = Router();

  router.get('/mail', async (_req, res) => {
    const [counts, failed] = await Promise.all([outboxCounts(db), listFailedMail(db)]);
    res.render('admin/mail', { title: 'Mail', counts, failed });
  });

  router.post('/mail/:id/retry', async (req, res) => {
    if (!(await retryFailedMail(db, req.params.id, clock.now()))) throw notFound('No failed message has this id.');
    mailQueued();
    res.redirect(303, '/admin/mail');
  });

  return { href: '/mail', label: 'Mail', description: 'outbox counts, failed e-mails and retries', router };
}
