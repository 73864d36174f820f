import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { REPO_ROOT } from '../paths.ts';

const SUBJECTS = {
  receipt: (data: Record<string, unknown>) => `Your receipt: ${String(data.thesisTitle)}`,
  'sign-in': () => 'Your sign-in link',
  'signal-alert': (data: Record<string, unknown>) => `Signal update: ${String(data.signalTitle)} is now ${String(data.status)}`,
  'admin-alert': (data: Record<string, unknown>) => `Warren alert: ${String(data.kind)}`,
} as const;

export type TemplateName = keyof typeof SUBJECTS;

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export interface MailRenderer {
  render(template: TemplateName, data: Record<string, unknown>): RenderedMail;
}

/** Compiles emails/*.hbs once. Each e-mail has an HTML and a plain-text part sharing one layout. */
export function createMailRenderer(publisher: { name: string; appUrl: string }): MailRenderer {
  const emailsDir = path.join(REPO_ROOT, 'emails');
  const compile = (file: string, escape: boolean) =>
    Handlebars.compile(readFileSync(path.join(emailsDir, file), 'utf8'), { noEscape: !escape, strict: true });
  const layouts = { html: compile('layout.html.hbs', true), text: compile('layout.text.hbs', false) };
  const bodies = Object.fromEntries(
    (Object.keys(SUBJECTS) as TemplateName[]).map((name) => [
      name,
      { html: compile(`${name}.html.hbs`, true), text: compile(`${name}.text.hbs`, false) },
    ]),
  ) as Record<TemplateName, { html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate }>;

  return {
    render(template, data) {
      const context = { ...data, publisher };
      const subject = SUBJECTS[template](data);
      return {
        subject,
        html: layouts.html({ ...context, subject, body: new Handlebars.SafeString(bodies[template].html(context)) }),
        text: layouts.text({ ...context, body: bodies[template].text(context) }),
      };
    },
  };
}
