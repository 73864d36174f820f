import type { IncomingMessage } from 'node:http';
import type { BuyerSource } from '../checkout/checkout-attempts.ts';

/** Longest value kept; anything longer is dropped whole, not cut (a cut value would group wrongly). */
const MAX_LENGTH = 100;
/** utm_source, utm_campaign, ref: letters, digits, space and . _ ~ + - only, after trimming and lower-casing. */
const SAFE_VALUE = /^[\p{L}\p{N} ._~+-]+$/u;
/** A host as URL parsing leaves it (IDNs in punycode). */
const SAFE_HOST = /^[a-z0-9.-]+$/;
const PARAMS = { utmSource: 'utm_source', utmCampaign: 'utm_campaign', ref: 'ref' } as const;

/** A value worth keeping, or null: garbage, over-long or empty values are dropped, never stored or shown. */
export function cleanSourceValue(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const value = raw.trim().toLowerCase();
  return value.length > 0 && value.length <= MAX_LENGTH && SAFE_VALUE.test(value) ? value : null;
}

/** "www.Example.com" → "example.com": one name per site, whichever way it was linked. */
export const siteHost = (hostname: string): string => hostname.toLowerCase().replace(/^www\./, '');

/** utm_source, utm_campaign and ref of a path or URL's query string, cleaned; null when it carries none. */
function campaignOf(url: string): Omit<BuyerSource, 'referrer'> | null {
  const start = url.indexOf('?');
  if (start === -1) return null;
  const query = new URLSearchParams(url.slice(start + 1));
  const campaign = {
    utmSource: cleanSourceValue(query.get(PARAMS.utmSource)),
    utmCampaign: cleanSourceValue(query.get(PARAMS.utmCampaign)),
    ref: cleanSourceValue(query.get(PARAMS.ref)),
  };
  return campaign.utmSource ?? campaign.utmCampaign ?? campaign.ref ? campaign : null;
}

function parsedReferer(referer: string | undefined): URL | null {
  if (!referer || referer.length > 2_000 || !URL.canParse(referer)) return null;
  const url = new URL(referer);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

/**
 * Where the request says its visitor came from, or null for a direct visit: utm_source, utm_campaign
 * and ref of its own URL, and the Referer's host when it is another site's (`ownHost`: this site's,
 * already through siteHost). A Referer from this site is not a source; but when it carries a campaign
 * the request's own URL lacks (the buy page opened from `/theses/x?utm_source=…`), that campaign is
 * taken: the referring page's own visit may have been counted on another instance (README.md).
 * Cheap when there is nothing to read: the public page's usual request has no query and no Referer.
 */
export function sourceOfRequest(req: IncomingMessage, ownHost: string): BuyerSource | null {
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '';
  const referer = parsedReferer(req.headers.referer);
  const refererHost = referer && siteHost(referer.hostname);
  const external = refererHost && refererHost !== ownHost && refererHost.length <= MAX_LENGTH && SAFE_HOST.test(refererHost) ? refererHost : null;
  const campaign = campaignOf(url) ?? (referer && refererHost === ownHost ? campaignOf(referer.search) : null);
  if (!external && !campaign) return null;
  return { referrer: external, utmSource: campaign?.utmSource ?? null, utmCampaign: campaign?.utmCampaign ?? null, ref: campaign?.ref ?? null };
}

/**
 * Each visitor's first touch of the day that carried a source, in this process's memory only, keyed
 * by the day's visitor hash (daily-visitors.ts: the day's salt, address and user agent; no thesis).
 * A direct view leaves nothing, so a later campaign visit the same day still counts as the source
 * (the "first non-direct touch"). Emptied when the day changes, as the salt is; bounded like the
 * visitor set: past `max` a new visitor's touch is not kept (their checkout is then "direct or unknown").
 */
export class FirstTouches {
  private day = '';
  private readonly touches = new Map<string, BuyerSource>();

  constructor(private readonly max: number) {}

  remember(day: string, visitor: string, source: BuyerSource): void {
    if (day !== this.day) this.startDay(day);
    if (this.touches.size >= this.max || this.touches.has(visitor)) return;
    this.touches.set(visitor, source);
  }

  recall(day: string, visitor: string): BuyerSource | null {
    return day === this.day ? (this.touches.get(visitor) ?? null) : null;
  }

  get size(): number {
    return this.touches.size;
  }

  private startDay(day: string): void {
    this.day = day;
    this.touches.clear();
  }
}
