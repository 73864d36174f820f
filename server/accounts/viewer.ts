/** The signed-in person behind a request, as established by the session cookie. */
export interface Viewer {
  userId: string;
}
