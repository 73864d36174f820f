import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every response. The CSP allows scripts and styles from this site only (no
 * inline script, no inline handlers), forms to post here or to Stripe Checkout (a browser checks
 * form-action on the 303 to checkout.stripe.com too; with STRIPE_API_BASE, a local fake's hosted page is
 * allowed as well), and no framing (clickjacking).
 */
export function securityHeaders({ secure, checkoutOrigin }: { secure: boolean; checkoutOrigin?: string }): RequestHandler {
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
        formAction: ["'self'", 'https://checkout.stripe.com', ...(checkoutOrigin ? [checkoutOrigin] : [])],
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
