/**
 * Where to send someone after signing in. Only same-site paths: "//evil.example" and "/\evil.example"
 * are protocol-relative URLs to browsers, so they are refused like absolute URLs (open redirect).
 */
export function safeNextPath(input: unknown): string {
  if (typeof input !== 'string' || input.length > 512) return '/';
  if (!input.startsWith('/') || input.startsWith('//') || input.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\\]/.test(input)) return '/';
  return input;
}
