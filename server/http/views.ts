import path from 'node:path';
import type { Application, Express } from 'express';
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

/**
 * Renders a view without its layout and without res.locals, for a body that is the same for every
 * viewer and so can be cached; `views/prerendered.hbs` then puts it into the layout per request.
 */
export function renderViewAlone(app: Application, view: string, locals: object): Promise<string> {
  return new Promise((resolve, reject) =>
    app.render(view, { ...locals, layout: false }, (error, html) => (error ? reject(error) : resolve(html))),
  );
}
