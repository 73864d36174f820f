import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './errors.ts';

const LOOPBACK_ADDRESS = /^(127(\.\d{1,3}){3}|::1|::ffff:127(\.\d{1,3}){3})$/;
const LOOPBACK_NAME = /^(localhost|[\w.-]+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

function hostnameOf(host: string | undefined): string | null {
  if (!host) return null;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
}

/**
 * Whether a request comes from this machine and was addressed to it: the socket's peer is a loopback
 * address (never the forgeable X-Forwarded-For), no proxy forwarded it, and its Host names this machine
 * (or the configured site), so a page elsewhere cannot reach it by pointing its own name at 127.0.0.1
 * (DNS rebinding). The development server listens on every interface: its neighbours are not local.
 */
export function isLocalRequest(req: Pick<IncomingMessage, 'socket' | 'headers'>, appUrl: string): boolean {
  if (!LOOPBACK_ADDRESS.test(req.socket.remoteAddress ?? '')) return false;
  if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined) return false;
  const hostname = hostnameOf(req.headers.host);
  return hostname !== null && (LOOPBACK_NAME.test(hostname) || hostname === new URL(appUrl).hostname);
}

/**
 * For development pages that hand out what signs people in or moves their access (the inbox, test
 * payments): answered only on the machine running the site, a clear 403 elsewhere.
 */
export function localRequestsOnly(appUrl: string) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (isLocalRequest(req, appUrl)) return next();
    next(new HttpError(403, 'The development pages answer only on the machine running Warren: open them there, at localhost.', 'Only on this machine'));
  };
}
