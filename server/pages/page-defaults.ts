/** The site pages the publisher may rewrite, in the order the admin lists them. */
export const PAGE_KEYS = ['terms', 'refunds', 'privacy', 'contact'] as const;
export type PageKey = (typeof PAGE_KEYS)[number];

export const PAGE_TITLES: Readonly<Record<PageKey, string>> = {
  terms: 'Terms of sale',
  refunds: 'Refund policy',
  privacy: 'Privacy',
  contact: 'Contact',
};

export function isPageKey(key: string): key is PageKey {
  return (PAGE_KEYS as readonly string[]).includes(key);
}

export interface PageSite {
  publisherName: string;
  contactEmail?: string;
}

/** "write to us at …", or, before any address is configured, where to look instead. */
function writeTo({ contactEmail }: PageSite): string {
  return contactEmail ? `write to us at [${contactEmail}](mailto:${contactEmail})` : 'use the contact page';
}

/**
 * What each page says until the publisher saves their own: short, plain, and true of how the site
 * works (one-time Stripe payments in CAD, access by e-mailed link, no advertising trackers).
 */
export function defaultMarkdown(key: PageKey, site: PageSite): string {
  const name = literal(site.publisherName);
  switch (key) {
    case 'terms':
      return `These terms apply when you buy a thesis from ${name}, an independent research publisher in Canada.

## What you buy

One payment gives you the members' layer of one thesis, for your personal use, as long as the site runs. There is no subscription and nothing renews. Prices are in Canadian dollars and shown before you pay; applicable sales tax is added at checkout.

## Payment

Payment is taken by Stripe on its checkout page. We never see or store your card number.

## Access

You read what you bought by signing in with a link or code sent to the e-mail address you paid with. Please do not share the members' layer or your sign-in links.

## Not advice

Our research is general information for qualified investors. It is not personalised investment advice and does not take your objectives, finances or needs into account. Do your own research; you alone decide what to buy or sell.

## Refunds and changes

See the [refund policy](/refunds). We may update these terms; the version in force when you paid applies to that purchase. These terms are governed by the laws of the province where ${name} is established and the federal laws of Canada.

Questions? ${capitalise(writeTo(site))}.`;
    case 'refunds':
      return `You get access the moment you pay, so refunds are limited, but we want you to be treated fairly.

- **Charged twice for the same thesis?** We refund the extra payment automatically.
- **Could not get in?** If a technical problem on our side kept you from reading what you bought, ${writeTo(site)} within 14 days of your purchase and we will fix it or refund you in full.
- **Changed your mind?** Ask within 14 days and before you have read the members' layer, and we will refund you in full.

Refunds go back to the card you paid with, through Stripe, usually within 5 to 10 business days. A refunded purchase no longer gives access to the thesis.

If you dispute a payment with your bank, access is paused until the dispute closes.`;
    case 'privacy':
      return `${name} keeps as little about you as it can to sell and deliver research.

## What we keep

- Your e-mail address, to sign you in and send your receipts and, if you asked for them, alerts.
- What you bought and when. Payment details stay with Stripe; we never see your card number.
- The confirmations you gave before paying, and short-lived sign-in records (the device and time) to keep your account safe.
- Whether you opened a thesis within a day of an alert about it (only that and when, not what you read), so we can tell whether alerts help.

## Who else sees it

Stripe processes payments, and our e-mail provider delivers our messages. We do not sell your data and we use no advertising trackers. The site sets only the cookies it needs to keep you signed in and to protect its forms.

## Your choices

You can stop alerts from any alert e-mail or your account page. To see, correct or delete what we hold about you, ${writeTo(site)}. We keep purchase records as long as Canadian tax law requires.

We handle personal information under Canada's Personal Information Protection and Electronic Documents Act (PIPEDA).`;
    case 'contact':
      return site.contactEmail
        ? `Questions about a purchase, your access, a refund or your data? ${capitalise(writeTo(site))}. We answer within two business days.

Please write from the address you paid with, so we can find your purchase.`
        : `Questions about a purchase, your access, a refund or your data? The publisher has not published a contact address yet; please reply to any e-mail you received from us.`;
  }
}

/** Configured text as it reads everywhere else (escaped HTML): every ASCII punctuation mark backslash-escaped, so Markdown reads none of it. */
function literal(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
