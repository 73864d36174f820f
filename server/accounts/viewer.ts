/** The signed-in person behind a request, as established by the session cookie. */
export interface Viewer {
  userId: string;
  /** The account's session version when the token was issued; see session-check.ts. */
  sessionVersion: number;
}
