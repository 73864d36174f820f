import { Router, type Request, type Response } from 'express';
import type { AdminSection } from '../http/admin-section.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { isPageKey, type PageKey } from './page-defaults.ts';
import { MAX_PAGE_LENGTH, PageInputError, type SitePages } from './site-pages.ts';

function pageKeyOf(key: string): PageKey {
  if (!isPageKey(key)) throw notFound('There is no site page with that name.');
  return key;
}

/** /admin/pages: the terms, refund, privacy and contact pages, each edited as Markdown. */
export function sitePagesAdminSection({ sitePages }: { sitePages: SitePages }): AdminSection {
  const router = Router();

  async function renderEditor(req: Request, res: Response, key: PageKey, typed?: { markdown: string; problem: string }) {
    const page = await sitePages.find(key);
    res.status(typed ? 400 : 200).render('admin/page-edit', {
      title: `Edit: ${page.title}`,
      page,
      markdown: typed?.markdown ?? page.markdown,
      problem: typed?.problem,
      maxLength: MAX_PAGE_LENGTH,
      saved: req.query.saved === '1',
    });
  }

  router.get('/pages', async (_req, res) => {
    res.render('admin/pages', { title: 'Pages', pages: await sitePages.list() });
  });

  router.get('/pages/:key', (req, res) => renderEditor(req, res, pageKeyOf(req.params.key)));

  router.post('/pages/:key', async (req, res) => {
    const key = pageKeyOf(req.params.key);
    const markdown: unknown = req.body.markdown;
    if (typeof markdown !== 'string') throw badRequest('The form sent no page text.');
    try {
      await sitePages.save(key, markdown, res.locals.admin.email as string);
    } catch (error) {
      if (!(error instanceof PageInputError)) throw error;
      return renderEditor(req, res, key, { markdown, problem: error.message });
    }
    res.redirect(303, `/admin/pages/${key}?saved=1`);
  });

  return { href: '/pages', label: 'Pages', description: 'terms of sale, refund policy, privacy and contact', router };
}
