import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Router } from 'express';
import type { Platform } from '../ops/platform.ts';
import { notFound } from '../http/errors.ts';
import { localRequestsOnly } from '../http/local-only.ts';

const EML_NAME = /^[\w.-]+\.eml$/;
const SHOWN_HEADERS = new Set(['message-id', 'list-unsubscribe', 'list-unsubscribe-post']);
const URL_IN_TEXT = /(https?:\/\/[^\s<>"]+)/g;

/** Plain text cut into pieces so the view can make links clickable while escaping everything. */
export function linkParts(text: string): { text: string; href?: string }[] {
  return text.split(URL_IN_TEXT).filter(Boolean).map((part) => (/^https?:\/\//.test(part) ? { text: part, href: part } : { text: part }));
}

/**
 * /dev/mail: the .eml files the file transport wrote, so a person trying the site without SMTP can
 * open their sign-in link. Mounted only outside production (server/app.ts); elsewhere it is a 404.
 * Only on the machine running the site: its links sign anyone in, the development admin included.
 */
export function devInboxRoutes({ config }: Platform): Router {
  const router = Router();
  router.use('/dev/mail', localRequestsOnly(config.appUrl));
  const files = async () => (await readdir(config.mailDir).catch(() => [] as string[])).filter((name) => EML_NAME.test(name)).sort().reverse();
  // Only names found in the folder are opened: no path from the URL reaches the file system.
  const load = async (name: string) => {
    if (!(await files()).includes(name)) throw notFound('No such e-mail in the development inbox.');
    // Loaded on first use: a large parser that production (where this page is 404) never needs.
    const { simpleParser } = await import('mailparser');
    return simpleParser(await readFile(path.join(config.mailDir, name)));
  };

  router.get('/dev/mail', async (_req, res) => {
    const names = (await files()).slice(0, 100);
    const messages = await Promise.all(
      names.map(async (file) => {
        const mail = await load(file);
        return { file, subject: mail.subject, to: mail.to && !Array.isArray(mail.to) ? mail.to.text : '', date: mail.date };
      }),
    );
    res.set('Cache-Control', 'no-store').render('dev/mail-list', { title: 'Development inbox', messages, mailDir: config.mailDir });
  });

  router.get('/dev/mail/:file', async (req, res) => {
    const mail = await load(req.params.file);
    res.set('Cache-Control', 'no-store').render('dev/mail-show', {
      title: mail.subject ?? 'E-mail',
      file: req.params.file,
      mail: { subject: mail.subject, from: mail.from?.text, to: mail.to && !Array.isArray(mail.to) ? mail.to.text : '', date: mail.date },
      headers: mail.headerLines.filter((header) => SHOWN_HEADERS.has(header.key)).map((header) => header.line),
      parts: linkParts(mail.text ?? ''),
      hasHtml: Boolean(mail.html),
    });
  });

  // The HTML part as the mail client would show it, sandboxed: no scripts, no requests out.
  router.get('/dev/mail/:file/html', async (req, res) => {
    const mail = await load(req.params.file);
    if (!mail.html) throw notFound('This e-mail has no HTML part.');
    res
      .set('Content-Security-Policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:")
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(mail.html);
  });

  return router;
}
