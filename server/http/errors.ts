/** The one error type routes throw: a status and a message safe to show to anyone. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Optional page title for people; machines get `message` as JSON. */
    readonly title?: string,
    /** Optional next step for people, shown as a link under the message (the page that helps). */
    readonly help?: { href: string; text: string },
  ) {
    super(message);
  }
}

export const notFound = (message = 'There is nothing at this address.') => new HttpError(404, message, 'Page not found');

export const badRequest = (message: string) => new HttpError(400, message, 'Something in that request was not right');
