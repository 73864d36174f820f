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
    // Handlebars would otherwise indent every line a partial outputs by the indentation of its call,
    // textarea contents included: each save of the editor added two spaces to every line it held.
    compilerOptions: { preventIndent: true },
    helpers: {
      /** The hidden CSRF field every POST form carries (see http/csrf.ts). */
      csrfField: (options: Handlebars.HelperOptions) =>
        new Handlebars.SafeString(
          `<input type="hidden" name="_csrf" value="${Handlebars.escapeExpression(options.data.root.csrfToken())}">`,
        ),
      /** The fingerprinted URL of a file in public/ (see http/static-assets.ts). */
      asset: (name: string) => assetUrl(name),
      isoDate: (date: Date | undefined) => (date ? date.toISOString() : ''),
      longDate: (date: Date | undefined) => (date ? formatDay(date) : ''),
      /** The id of a field in an editor row ("stressTests-0-argument"), for its error message. */
      rowField: (group: string, index: number, column: string) => `${group}-${index}-${column}`,
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
 * not, admin or not (the header's links), never anyone's own details (the view gets no res.locals). The parts around the one thing that
 * differs per request, the CSRF token of the layout's sign-out form, are returned for sendPageShell,
 * already encoded: copying bytes costs a request far less than encoding the page again.
 */
export async function renderPageShell(
  app: Application,
  view: string,
  locals: object,
  { signedIn, admin = false }: { signedIn: boolean; admin?: boolean },
): Promise<Buffer[]> {
  const html = await new Promise<string>((resolve, reject) =>
    app.render(view, { ...locals, viewer: signedIn ? {} : null, viewerIsAdmin: admin, csrfToken: () => TOKEN_HOLE }, (error, page) =>
      error ? reject(error) : resolve(page),
    ),
  );
  return html.split(TOKEN_HOLE).map((part) => Buffer.from(part));
}

/**
 * Sends the page for this request: the shell with this request's CSRF token, if the page has a form.
 * A page no one may store (a signed-in reader's) goes out as the shell's own buffers around the
 * token, without the copy into one buffer and the ETag hash res.send would add (no one revalidates
 * what no one stores). A shareable page goes through res.send, for its ETag (revalidation).
 */
export function sendPageShell(res: Response, parts: Buffer[], { shareable }: { shareable: boolean }): void {
  const token = parts.length > 1 ? Buffer.from(Handlebars.escapeExpression(res.locals.csrfToken())) : null;
  const chunks = token ? parts.flatMap((part, index) => (index === 0 ? [part] : [token, part])) : parts;
  res.type('html');
  if (shareable) return void res.send(Buffer.concat(chunks));
  res.setHeader('Content-Length', chunks.reduce((length, chunk) => length + chunk.length, 0));
  for (const chunk of chunks.slice(0, -1)) res.write(chunk);
  res.end(chunks.at(-1));
}
