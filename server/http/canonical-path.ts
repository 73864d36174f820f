import type { RequestHandler } from 'express';

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * RFC 3986 makes `%61dmin` and `admin` the same path. Express matches routes on the raw path, so
 * without this an encoded spelling would miss the router (and its gate) that the plain one hits.
 * Decoding only unreserved characters keeps `%2F` and friends meaning what they meant.
 */
export const canonicalPath: RequestHandler = (req, _res, next) => {
  const queryAt = req.url.indexOf('?');
  const path = queryAt === -1 ? req.url : req.url.slice(0, queryAt);
  const decoded = path.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : escape;
  });
  if (decoded !== path) req.url = decoded + (queryAt === -1 ? '' : req.url.slice(queryAt));
  next();
};
