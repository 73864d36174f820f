/** The signed-in person behind a request, as established by the session cookie. */
export interface Viewer {
  userId: string;
  /** The server-side session this browser holds (its JWT's `sid`); signing out revokes it (sessions.repo.ts). */
  sessionId: string;
  /** The account's session version when the token was issued; see session-check.ts. */
  sessionVersion: number;
  /**
   * Set on a session the checkout success page opened for an address nobody has proven (see
   * checkout/success-sign-in.ts): the id of the one thesis it may read. Such a session changes nothing.
   */
  unverifiedFor?: string;
  /**
   * When the session's token expires, in seconds since the epoch (its `exp`): the session's idle or
   * absolute expiry, whichever comes first; long-lived streams check it.
   */
  expiresAt: number;
}

/** What a session token is issued for; its expiry is the session's (sessions.repo.ts). */
export type SessionClaims = Omit<Viewer, 'expiresAt'>;

/** Whether a session speaks for its account in full (an admin, a settings change, other purchases). */
export const isVerifiedViewer = (viewer: Viewer | null): viewer is Viewer => viewer !== null && viewer.unverifiedFor === undefined;
