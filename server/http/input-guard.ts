import type { RequestHandler } from 'express';
import { badRequest } from './errors.ts';

const onlyStrings = (values: unknown) =>
  values === undefined || (typeof values === 'object' && values !== null && Object.values(values).every((value) => typeof value === 'string'));

/**
 * Every form field and query parameter Warren reads is one string. A repeated key (`a=1&a=2`)
 * arrives as an array; it is refused here, before any route or query sees it, with a clear 400.
 * The one exception is the thesis editor, whose rows (stress tests, signals) are repeated fields
 * that its own form reader (publishing/thesis-form.ts) takes apart and validates.
 */
export function rejectNonStringInput({ repeatedFieldsUnder }: { repeatedFieldsUnder: string }): RequestHandler {
  return (req, _res, next) => {
    const body = req.is('application/x-www-form-urlencoded') && !req.path.startsWith(repeatedFieldsUnder) ? req.body : undefined;
    if (!onlyStrings(req.query) || !onlyStrings(body)) throw badRequest('Each field of this request must appear once, as plain text.');
    next();
  };
}
