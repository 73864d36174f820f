import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every response. The CSP allows scripts and styles from this site only (no
 * inline script, no inline handlers), forms to post here or to the origins in `formTargets` (a
 * browser checks form-action on a 303 that follows a form too, e.g. to a payment page), and no
 * framing (clickjacking).
 */
export function securityHeaders({ secure, formTargets }: { secure: boolean; formTargets: string[] }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'", ...formTargets],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        ...(secure && { upgradeInsecureRequests: [] }),
      },
    },
    // HSTS only where the site is served over HTTPS; on http://localhost it would break development.
    strictTransportSecurity: secure ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
}
