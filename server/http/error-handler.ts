import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { HttpError, badRequest, notFound } from './errors.ts';

/** Machines (JSON clients, routes marked with answerErrorsAsJson) get JSON; people get a page in the site's look. */
function wantsJson(req: Parameters<RequestHandler>[0]): boolean {
  return req.res?.locals.errorsAsJson === true || req.path.endsWith('.json') || req.accepts(['html', 'json']) === 'json';
}

/** For a router whose callers are machines (a webhook sender): its errors are answered in JSON, whatever the request accepts. */
export const answerErrorsAsJson: RequestHandler = (_req, res, next) => {
  res.locals.errorsAsJson = true;
  next();
};

export const notFoundHandler: RequestHandler = () => {
  throw notFound();
};

/** The router could not decode a path parameter (`/theses/%`): the visitor's address is wrong, not our code. */
const isMalformedAddress = (error: unknown) => error instanceof URIError && (error as { status?: number }).status === 400;

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (raised, req, res, _next) => {
    let error = raised;
    if (isMalformedAddress(raised)) {
      logger.info({ method: req.method, path: req.path }, 'malformed percent-encoding in the address');
      // The completion line too: a typo in an address is not worth a warning (see ops/request-logging.ts).
      res.locals.logLevel = 'info';
      error = badRequest('This address is not valid: a "%" in it is not followed by two hexadecimal digits.');
    }
    const known = error instanceof HttpError;
    // body-parser and friends mark client errors with status/expose.
    const clientStatus = !known && error?.expose && error.status >= 400 && error.status < 500 ? error.status : undefined;
    const status = known ? error.status : (clientStatus ?? 500);
    const message = known || clientStatus ? error.message : 'Something went wrong on our side. Please try again.';
    const title = known ? (error.title ?? 'Error') : clientStatus ? 'Something in that request was not right' : 'Server error';
    // Thrown HttpErrors are expected answers; anything else reaching here is a bug or an outage.
    if (!known && status >= 500) logger.error({ err: error, method: req.method, path: req.path }, 'request failed');

    if (res.headersSent) return;
    res.status(status).set('Cache-Control', 'no-store');
    if (wantsJson(req)) {
      res.json({ error: message });
    } else {
      res.render('error', { title, message, status, help: known ? error.help : undefined });
    }
  };
}
