import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Application, Express, Response } from 'express';
import Handlebars from 'handlebars';
import { create } from 'express-handlebars';
import { REPO_ROOT } from '../paths.ts';
import { formatDay } from './dates.ts';

const viewsDir = path.join(REPO_ROOT, 'views');

/** Handlebars for pages: views/, a shared layout, partials; templates cached outside development. */
export function useViews(app: Express, { cache, assetUrl }: { cache: boolean; assetUrl: (name: string) => string }): void {
  const handlebars = create({
    extname: '.hbs',
    layoutsDir: path.join(viewsDir, 'layouts'),
    partialsDir: path.join(viewsDir, 'partials'),
    defaultLayout: 'main',
    helpers: {
      /** The hidden CSRF field every POST form carries (see http/csrf.ts). */
      csrfField: (options: Handlebars.HelperOptions) =>
        new Handlebars.SafeString(
          `<input type="hidden" name="_csrf" value="${Handlebars.escapeExpression(options.data.root.csrfToken())}">`,
        ),
      /** The fingerprinted URL of a file in public/ (see http/static-assets.ts). */
      asset: (name: string) => assetUrl(name),
      year: () => new Date().getFullYear(),
      isoDate: (date: Date | undefined) => (date ? date.toISOString() : ''),
      longDate: (date: Date | undefined) => (date ? formatDay(date) : ''),
    },
  });
  app.engine('.hbs', handlebars.engine);
  app.set('view engine', '.hbs');
  app.set('views', viewsDir);
  if (cache) app.enable('view cache');
}

/** Marks where each request's CSRF token goes in a shared page; never occurs in content. */
const TOKEN_HOLE = `csrf-token-hole-${randomUUID()}`;

/**
 * Renders a page (the view in its layout) as everyone in the same situation sees it: signed in or
 * not, never anyone's own details (the view gets no res.locals). The parts around the one thing that
 * differs per request, the CSRF token of the layout's sign-out form, are returned for fillPageShell,
 * already encoded: copying bytes costs a request far less than encoding the page again.
 */
export async function renderPageShell(app: Application, view: string, locals: object, { signedIn }: { signedIn: boolean }): Promise<Buffer[]> {
  const html = await new Promise<string>((resolve, reject) =>
    app.render(view, { ...locals, viewer: signedIn ? {} : null, csrfToken: () => TOKEN_HOLE }, (error, page) =>
      error ? reject(error) : resolve(page),
    ),
  );
  return html.split(TOKEN_HOLE).map((part) => Buffer.from(part));
}

/** The page for this request: the shell with this request's CSRF token, if the page has a form. */
export function fillPageShell(parts: Buffer[], res: Response): Buffer {
  if (parts.length === 1) return parts[0]!;
  const token = Buffer.from(Handlebars.escapeExpression(res.locals.csrfToken()));
  return Buffer.concat(parts.flatMap((part, index) => (index === 0 ? [part] : [token, part])));
}
