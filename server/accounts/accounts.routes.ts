import { Router, type Response } from 'express';
import type { Platform } from '../ops/platform.ts';
import type { SessionCaches } from './session-caches.ts';
import { createRateLimits } from '../http/rate-limits.ts';
import { normaliseEmail } from './email-address.ts';
import { safeNextPath } from './next-path.ts';
import type { SessionCookie } from './session-cookie.ts';
import { consumeSignInCode, consumeSignInLink, isSignInLinkUsable, type SignInLinkProblem } from './sign-in-links.ts';
import { requestSignInMail } from './sign-in-request.ts';
import { signInRequestAnswer } from './sign-in-request-answer.ts';
import { findUserByEmail, markEmailVerified } from './users.repo.ts';

const PROBLEM_MESSAGES: Record<SignInLinkProblem, string> = {
  invalid: 'This sign-in link is not valid. It may have been copied incompletely.',
  used: 'This sign-in link has already been used. Each link works once.',
  expired: 'This sign-in link has expired. Links work for 15 minutes.',
};

export function accountRoutes(deps: Platform & { sessions: SessionCaches }, sessions: SessionCookie): Router {
  const { db, clock } = deps;
  const router = Router();
  const limits = createRateLimits(deps);
  const answerSignInRequest = signInRequestAnswer(deps);

  // A link or code from the inbox: the address is proven. The first time, every earlier (unverified)
  // session of the account ends, here and on the other instances, before this one is issued.
  async function signInFromInbox(res: Response, userId: string, nextPath: string) {
    if (await markEmailVerified(db, userId, clock.now())) await deps.sessions.sessionsEnded(userId);
    await sessions.signIn(res, userId);
    res.redirect(303, safeNextPath(nextPath));
  }

  const renderProblem = (res: Response, problem: SignInLinkProblem) =>
    res.status(problem === 'invalid' ? 400 : 410).render('login-invalid', { title: 'Sign-in link', message: PROBLEM_MESSAGES[problem] });

  router.get('/login', (req, res) => {
    res.render('login', { title: 'Sign in', next: safeNextPath(req.query.next) });
  });

  // Per IP and per address: nobody can flood a reader's inbox or probe addresses in bulk. The same
  // statements for a member's address and a stranger's (see requestSignInMail): the same answer, as fast.
  router.post('/login', limits.signInRequestsPerIp(), limits.signInRequestsPerAddress((req) => normaliseEmail(req.body?.email)), async (req, res) => {
    const next = safeNextPath(req.body?.next);
    const email = normaliseEmail(req.body?.email);
    if (!email) {
      return res.status(400).render('login', { title: 'Sign in', next, error: 'Please enter a valid e-mail address.' });
    }
    answerSignInRequest(res, await requestSignInMail(db, email, next, clock.now()), email);
  });

  // The code from the e-mail, typed in whichever browser the reader wants to be signed in. A stranger's
  // address costs the same statements as a member's with a wrong code (see consumeSignInCode).
  router.post('/login/code', limits.signInCodeAttemptsPerIp(), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const email = normaliseEmail(req.body?.email);
    const user = email ? await findUserByEmail(db, email) : null;
    const result = await consumeSignInCode(db, user?.id ?? null, req.body?.code, clock.now());
    if (!result.ok) {
      return res.status(400).render('login-sent', {
        title: 'Check your inbox',
        email: email ?? '',
        error: 'That code is not valid or has expired. Codes work once, for 15 minutes.',
      });
    }
    await signInFromInbox(res, result.userId, result.nextPath);
  });

  // Mail scanners open links before people do: GET only shows a button, the POST signs in.
  router.get('/login/verify', async (req, res) => {
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    const problem = await isSignInLinkUsable(db, req.query.token, clock.now());
    if (problem) return renderProblem(res, problem);
    res.render('login-verify', { title: 'Sign in', token: req.query.token });
  });

  router.post('/login/verify', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const result = await consumeSignInLink(db, req.body?.token, clock.now());
    if (!result.ok) return renderProblem(res, result.problem);
    await signInFromInbox(res, result.userId, result.nextPath);
  });

  // Ends the session on the server, not only in this browser: a copied cookie reads nothing after.
  router.post('/logout', async (_req, res) => {
    await sessions.signOut(res);
    res.redirect(303, '/');
  });

  return router;
}
