import type { Response } from 'express';
import type { Platform } from '../ops/platform.ts';
import { SIGN_IN_MAIL_INTERVAL_MS, type SignInRequest } from './sign-in-request.ts';

/**
 * The page after asking for a sign-in link, from any route: "check your inbox", or, within a minute
 * of the last one, "we just sent you one" (429, so scripts see the limit; people see the code form).
 */
export function signInRequestAnswer(deps: Pick<Platform, 'mailQueued'>) {
  return (res: Response, outcome: SignInRequest, email: string) => {
    const page = { title: 'Check your inbox', email };
    if (outcome === 'just-sent') {
      return res.status(429).set('Retry-After', String(SIGN_IN_MAIL_INTERVAL_MS / 1000)).render('login-sent', { ...page, justSent: true });
    }
    deps.mailQueued();
    res.render('login-sent', page);
  };
}
