import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

/** The request a log line belongs to, carried through async work so every line of it is tagged. */
const requestContext = new AsyncLocalStorage<{ reqId: string }>();

export function runWithRequestId<T>(reqId: string, work: () => T): T {
  return requestContext.run({ reqId }, work);
}

// "jane.doe@example.com" → "j***@example.com": enough to tell customers apart in an incident, not
// enough to collect addresses from log storage.
const EMAIL = /([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;

export function maskEmails(text: string): string {
  return text.replace(EMAIL, '$1***@$2');
}

/**
 * Query parameters that are credentials: sign-in tokens, and the Checkout Session id (the success
 * URL signs the buyer in on its first visit).
 */
const SECRET_PARAMS = /([?&](?:token|session_id|email)=)[^&#\s"]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

/**
 * The process logger: JSON lines, the request id on every line written while serving a request, and
 * no credentials (cookies, Authorization, Stripe signatures) or full e-mail addresses, whatever a
 * caller passes in.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      mixin: () => {
        const context = requestContext.getStore();
        return context ? { reqId: context.reqId } : {};
      },
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["stripe-signature"]',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
          '*.secret',
        ],
        censor: '[redacted]',
      },
      // The last line of defence runs on the serialised line, so it also covers error messages.
      hooks: { streamWrite: maskEmails },
    },
    destination,
  );
}
