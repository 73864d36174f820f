import Handlebars from 'handlebars';

type HandlebarsEnv = typeof Handlebars;

const STATUS_COLOURS: Record<string, string> = {
  watching: '#6b6659',
  strengthening: '#1d6b46',
  confirmed: '#1d4d3a',
  weakening: '#9a6a00',
  failed: '#a32d2d',
};

const longDate = new Intl.DateTimeFormat('en-CA', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

/** Helpers for e-mail templates. Each returns escaped text unless it says otherwise. */
export function registerMailHelpers(handlebars: HandlebarsEnv): HandlebarsEnv {
  handlebars.registerHelper({
    /** Plain text as HTML paragraphs: escaped first, then blank lines → <p>, line breaks → <br>. */
    paragraphs(text: unknown) {
      const html = String(text ?? '')
        .trim()
        .split(/\n\s*\n/)
        .map((paragraph) => Handlebars.escapeExpression(paragraph).replace(/\r?\n/g, '<br>'))
        .map((paragraph) => `<p style="margin:0 0 12px;">${paragraph}</p>`)
        .join('\n');
      return new Handlebars.SafeString(html);
    },
    /** An ISO timestamp as "November 26, 2026 at 12:00 p.m. UTC"; anything else is shown as given. */
    dateTime(iso: unknown) {
      const date = new Date(String(iso));
      return Number.isNaN(date.getTime()) ? String(iso) : `${longDate.format(date)} UTC`;
    },
    /** One path segment of a link built from data (a slug), so it cannot leave that segment. */
    urlPart: (value: unknown) => encodeURIComponent(String(value)),
    capitalise: (value: unknown) => String(value).charAt(0).toUpperCase() + String(value).slice(1),
    statusColour: (status: unknown) => STATUS_COLOURS[String(status)] ?? '#1d1b16',
    eq: (a: unknown, b: unknown) => a === b,
  });
  return handlebars;
}
