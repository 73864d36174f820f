import type { IncomingMessage } from 'node:http';
import { isbot } from 'isbot';

/** `Sec-Purpose: prefetch` (and `prefetch;prerender`), or the older `Purpose: prefetch`. */
const PREFETCH = /(^|[\s;,])prefetch\b/i;

/**
 * isbot's verdict per user agent, remembered: its pattern costs a few microseconds a request, a Map
 * lookup far less, and browsers send a few user agents over and over. A pure function of the string,
 * so sharing it is safe. Bounded: agents longer than a browser's are not kept, and it is emptied when
 * full (a bot rotating agents only costs the regex).
 */
const verdicts = new Map<string, boolean>();
const MAX_REMEMBERED_AGENTS = 2_000;
const MAX_REMEMBERED_LENGTH = 512;

function isBotAgent(userAgent: string): boolean {
  let verdict = verdicts.get(userAgent);
  if (verdict === undefined) {
    verdict = isbot(userAgent);
    if (userAgent.length > MAX_REMEMBERED_LENGTH) return verdict;
    if (verdicts.size >= MAX_REMEMBERED_AGENTS) verdicts.clear();
    verdicts.set(userAgent, verdict);
  }
  return verdict;
}

/**
 * Whether a request for a page is a person's view worth counting. Keeps the counts honest against
 * what is not a reader: HEAD and other non-GET requests, prefetches (a browser or link preview
 * fetching a page nobody may open), requests without a user agent (scripts) and known bots (isbot's
 * maintained list of crawler, monitor and preview user agents).
 */
export function isCountableView(req: IncomingMessage): boolean {
  if (req.method !== 'GET') return false;
  const purpose = req.headers['sec-purpose'] ?? req.headers.purpose;
  if (typeof purpose === 'string' && PREFETCH.test(purpose)) return false;
  const userAgent = req.headers['user-agent'];
  return userAgent !== undefined && userAgent !== '' && !isBotAgent(userAgent);
}

/**
 * The visitor's address as Express's `req.ip` finds it with `trust proxy` set to a number of hops:
 * the socket's peer, or, behind `trustedHops` proxies, the address that many entries from the right
 * of X-Forwarded-For (the leftmost when the header is shorter). The front server answers cached pages
 * before Express, so it has no `req.ip`; both paths use this.
 */
export function clientAddress(req: IncomingMessage, trustedHops: number): string {
  const peer = req.socket.remoteAddress ?? '';
  const header = req.headers['x-forwarded-for'];
  if (trustedHops <= 0 || header === undefined) return peer;
  const forwarded = [header].flat().join(',').split(',').map((part) => part.trim()).filter(Boolean);
  // [peer, the last forwarder, …, the first]: each trusted hop moves one step to the left.
  const chain = [peer, ...forwarded.reverse()];
  return chain[Math.min(trustedHops, chain.length - 1)]!;
}
