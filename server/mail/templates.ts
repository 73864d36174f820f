import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { REPO_ROOT } from '../paths.ts';
import { registerMailHelpers } from './template-helpers.ts';

export interface ReceiptData {
  thesisTitle: string;
  price: string;
  purchasedOn: string;
  reference: string;
  /** The sales tax Stripe charged, formatted, when there was any (it is part of `price`). Absent in older rows. */
  tax?: string;
  /** Paid with Stripe test keys: no money moved, so the mail must not read as proof of payment. Absent in older rows. */
  testMode?: boolean;
  /** A gift: the recipient's address and delivery date (YYYY-MM-DD). The payer reads nothing themselves. */
  giftFor?: string;
  giftOn?: string;
  /** An offer or promotion code took the whole price: no payment was made. Absent in older rows. */
  nothingCharged?: boolean;
}

/** What the signals feature enqueues for 'signal-alert' (one message per entitled, consenting member). */
export interface SignalAlertData {
  thesisTitle: string;
  thesisSlug: string;
  signalTitle: string;
  /** watching | strengthening | confirmed | weakening | failed */
  status: string;
  /** Plain text: escaped, blank lines become paragraphs. */
  note: string;
  /** ISO 8601 */
  occurredAt: string;
  /** Hex hash of the latest record in the signal's hash chain. */
  chainHead: string;
  chainCount: number;
}

/** What the signals feature enqueues for 'section-alert': a save changed members' sections of a published thesis. */
export interface SectionAlertData {
  thesisTitle: string;
  thesisSlug: string;
  /**
   * Each changed section: its title, key (for the link to its history), its text as it now reads
   * (plain text) and what changed, word by word.
   */
  sections: { title: string; key: string; text: string; changes: { kind: 'same' | 'added' | 'removed'; text: string }[] }[];
  /** ISO 8601 */
  recordedAt: string;
  /** Hex hash of the record's latest link (this save's last section change) and its number. */
  chainHead: string;
  chainCount: number;
}

/** What the signals feature enqueues for 'position-alert': the publisher recorded the thesis's entry or exit. */
export interface PositionAlertData {
  thesisTitle: string;
  thesisSlug: string;
  action: 'entry' | 'exit';
  instrument: string;
  /** A decimal as the publisher typed it. */
  price: string;
  currency: string;
  sizeNote: string | null;
  /** Plain text (the Markdown as written), possibly empty. */
  note: string;
  /** YYYY-MM-DD: the trade's date as stated. */
  occurredAt: string;
  chainHead: string;
  chainCount: number;
}

export interface AccessRevokedData {
  thesisTitle: string;
  reason: 'refund' | 'dispute' | 'admin';
  /** YYYY-MM-DD */
  effectiveOn: string;
}

/** A dispute opened on the purchase's payment: access paused until it closes. */
export interface AccessPausedData {
  thesisTitle: string;
  /** YYYY-MM-DD */
  effectiveOn: string;
}

/** The dispute closed in the purchase's favour: access is back. */
export interface AccessRestoredData {
  thesisTitle: string;
  thesisSlug: string;
  /** YYYY-MM-DD */
  effectiveOn: string;
}

/** A payment for a thesis the buyer already had: refunded (when something was charged), with a sign-in link. */
export interface DuplicatePaymentData {
  thesisTitle: string;
  price: string;
  refunded: boolean;
}

/** An admin refunded all or part of a purchase (checkout/admin-refunds.ts). */
export interface RefundNoticeData {
  thesisTitle: string;
  /** Formatted, e.g. "$25 CAD". */
  amount: string;
  /** The whole payment is now refunded: the purchase no longer gives access. */
  full: boolean;
  /** YYYY-MM-DD */
  refundedOn: string;
}

/** A gift delivered on its date (checkout/gift-delivery.ts), with a sign-in link for the recipient's address only. */
export interface GiftData {
  thesisTitle: string;
  /** The signed-in buyer's address; null when bought signed out (an address typed on Stripe's page proves nothing). */
  from: string | null;
  /** Plain text as the buyer wrote it, possibly empty: escaped in the HTML part. */
  message: string;
}

/** A gift that could not be given (the recipient already had the thesis): refunded when something was charged. */
export interface GiftRefusedData {
  thesisTitle: string;
  recipientEmail: string;
  price: string;
  refunded: boolean;
}

export interface AdminSaleData extends ReceiptData {
  buyerEmail: string;
}

/** What the payments feature sends ADMIN_EMAILS when it refuses or flags something (admin/admin-alerts.ts). */
export interface AdminAlertData {
  kind: string;
  detail: string;
  /** ISO 8601 */
  occurredAt: string;
}

export interface TemplateData {
  receipt: ReceiptData;
  'sign-in': Record<string, never>;
  'signal-alert': SignalAlertData;
  'section-alert': SectionAlertData;
  'position-alert': PositionAlertData;
  'access-revoked': AccessRevokedData;
  'access-paused': AccessPausedData;
  'access-restored': AccessRestoredData;
  'duplicate-payment': DuplicatePaymentData;
  gift: GiftData;
  'gift-refused': GiftRefusedData;
  'refund-notice': RefundNoticeData;
  'admin-sale': AdminSaleData;
  'admin-alert': AdminAlertData;
}

export type TemplateName = keyof TemplateData;

/**
 * 'alert' mail (signal alerts, announcements) needs consent: it carries List-Unsubscribe headers and a
 * footer link, and is not sent to people who unsubscribed. 'transactional' mail is always sent.
 */
export type MailCategory = 'transactional' | 'alert';

/** Every e-mail Warren sends: its default subject (Handlebars, overridable by MAIL_SUBJECTS) and category. */
export const MAIL_TEMPLATES: Readonly<Record<TemplateName, { subject: string; category: MailCategory }>> = {
  receipt: { subject: 'Your receipt: {{thesisTitle}}', category: 'transactional' },
  'sign-in': { subject: 'Your sign-in link for {{publisher.name}}', category: 'transactional' },
  'signal-alert': { subject: '{{thesisTitle}}: {{signalTitle}} is now {{status}}', category: 'alert' },
  'section-alert': { subject: "{{thesisTitle}}: the members' layer was updated", category: 'alert' },
  'position-alert': { subject: '{{thesisTitle}}: {{capitalise action}} {{instrument}} at {{price}} {{currency}}', category: 'alert' },
  'access-revoked': { subject: 'Your access to {{thesisTitle}} has ended', category: 'transactional' },
  'access-paused': { subject: 'Your access to {{thesisTitle}} is paused', category: 'transactional' },
  'access-restored': { subject: 'Your access to {{thesisTitle}} is back', category: 'transactional' },
  'duplicate-payment': { subject: 'You already have {{thesisTitle}}{{#if refunded}}: your payment is refunded{{/if}}', category: 'transactional' },
  gift: { subject: 'A gift for you: {{thesisTitle}}', category: 'transactional' },
  'gift-refused': { subject: 'Your gift of {{thesisTitle}} could not be given{{#if refunded}}: your payment is refunded{{/if}}', category: 'transactional' },
  'refund-notice': { subject: 'Your refund for {{thesisTitle}}', category: 'transactional' },
  'admin-sale': { subject: 'New sale: {{thesisTitle}} ({{price}})', category: 'transactional' },
  'admin-alert': { subject: '{{publisher.name}} alert: {{kind}}', category: 'transactional' },
};

export const TEMPLATE_NAMES = Object.keys(MAIL_TEMPLATES) as TemplateName[];

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(MAIL_TEMPLATES, name);
}

export function categoryOf(template: TemplateName): MailCategory {
  return MAIL_TEMPLATES[template].category;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export interface RenderExtras {
  /** Set for alert mail: the footer links to it (stops every alert). */
  unsubscribeUrl?: string | null;
  /** Set for alert mail about one thesis: the footer's "stop alerts for this thesis" link. */
  unsubscribeThesisUrl?: string | null;
  /** Filled in at delivery time for mail that signs its reader in: the link and its one-time code. */
  signInUrl?: string;
  signInCode?: string;
}

export interface MailRenderer {
  render(template: TemplateName, data: object, extras?: RenderExtras): RenderedMail;
}

export interface RendererOptions {
  publisher: { name: string; appUrl: string };
  /** Subject templates by template name (from MAIL_SUBJECTS); unknown names are refused at start-up. */
  subjects?: Readonly<Record<string, string>>;
}

/**
 * Compiles emails/*.hbs once. Each e-mail has an HTML part (escaped, inline CSS, table layout) and a
 * plain-text part, sharing one layout that carries the publisher's name and the disclaimer.
 */
export function createMailRenderer({ publisher, subjects = {} }: RendererOptions): MailRenderer {
  const unknown = Object.keys(subjects).filter((name) => !isTemplateName(name));
  if (unknown.length) throw new Error(`MAIL_SUBJECTS names unknown e-mail templates: ${unknown.join(', ')}`);

  const handlebars = registerMailHelpers(Handlebars.create());
  const emailsDir = path.join(REPO_ROOT, 'emails');
  const compile = (source: string, escape: boolean) => handlebars.compile(source, { noEscape: !escape, strict: true });
  const compileFile = (file: string, escape: boolean) => compile(readFileSync(path.join(emailsDir, file), 'utf8'), escape);
  const layouts = { html: compileFile('layout.html.hbs', true), text: compileFile('layout.text.hbs', false) };
  const parts = Object.fromEntries(
    TEMPLATE_NAMES.map((name) => [
      name,
      {
        subject: compile(subjects[name] ?? MAIL_TEMPLATES[name].subject, false),
        html: compileFile(`${name}.html.hbs`, true),
        text: compileFile(`${name}.text.hbs`, false),
      },
    ]),
  ) as Record<TemplateName, Record<'subject' | 'html' | 'text', HandlebarsTemplateDelegate>>;

  return {
    render(template, data, extras = {}) {
      const context = { ...data, ...extras, unsubscribeUrl: extras.unsubscribeUrl ?? null, unsubscribeThesisUrl: extras.unsubscribeThesisUrl ?? null, publisher };
      // One line, whatever the data held: a newline in a header would let data write headers.
      const subject = parts[template].subject(context).replace(/[\r\n\t]+/g, ' ').trim().slice(0, 200);
      return {
        subject,
        html: layouts.html({ ...context, subject, body: new Handlebars.SafeString(parts[template].html(context)) }),
        text: layouts.text({ ...context, body: parts[template].text(context).trim() }),
      };
    },
  };
}
